"""`newsarchive serve`: the web explorer (newsarchive/web/) over the archive, read-only."""

from __future__ import annotations

import click

from newsarchive.options import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the archive to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (more serve more concurrent users on more cores).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep pages in memory while the archive is unchanged (any commit to it empties them).")
@click.option("--config", "config_path", metavar="PATH", default=None,
              help="newsarchive.toml with the schedule the health table checks.")
def command(db: str | None, host: str, port: int, workers: int, cache: bool,
            config_path: str | None) -> None:
    """Browse and search the archive in a web browser (read-only)."""
    import os

    import uvicorn

    from newsarchive.config import load_config, resolve_database_url
    from newsarchive.web.database import open_read_only

    url = open_read_only(resolve_database_url(db, load_config(config_path)))
    click.echo(f"newsarchive: serving the archive read-only on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    os.environ["NEWSARCHIVE_WEB_DB"] = url
    os.environ["NEWSARCHIVE_WEB_CACHE"] = "1" if cache else "0"
    if config_path:
        os.environ["NEWSARCHIVE_WEB_CONFIG"] = config_path
    uvicorn.run("newsarchive.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False, server_header=False)
