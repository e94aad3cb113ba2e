"""The `newsarchive` console command: a thin shell over crawler/, pipelines/, storage/ and scheduler.py.

Each sub-command lives in newsarchive/commands/<name>.py and exposes a click command called `command`;
they are imported lazily so `newsarchive --help` stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from newsarchive.config import ConfigError
from sites.registry import SiteFileError
from storage.db import DatabaseError

COMMANDS = {
    "crawl": "Crawl one spider's sources into the archive.",
    "revisit": "Fetch a spider's recent articles again and keep their revisions.",
    "spiders": "List the spiders.",
    "runs": "Show crawl-run history.",
    "export": "Export articles as JSON lines or CSV.",
    "extract": "Extract one saved page and print the article as JSON.",
    "reextract": "Re-run extraction over the stored raw html.",
    "search": "Search the archive.",
    "serve": "Browse and search the archive in a web browser (read-only).",
    "show": "Show one article in full.",
    "schedule": "Run the nightly schedule as a foreground service.",
    "health": "Flag spiders that stopped producing articles.",
    "new-spider": "Write a new site spider from the template (and its fixture folder).",
    "check-spider": "Show what the extractor makes of a saved page, flagging leftover furniture.",
    "worker": "Serve a distributed crawl (seeded by crawl --distributed) into the archive.",
    "demo": "Serve local copies of the four sites and crawl them into a demo archive (no network).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        try:
            module = importlib.import_module(f"newsarchive.commands.{cmd_name.replace('-', '_')}")
        except ModuleNotFoundError as exc:
            if exc.name == f"newsarchive.commands.{cmd_name.replace('-', '_')}":
                return None
            raise
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(sorted(COMMANDS.items()))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl, archive and search Korean government news."""


def main() -> None:
    """Entry point: expected failures become one line on stderr, `error: ...`, with exit status 2 for a
    usage error and 1 (or the exception's own status) for anything else."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # `newsarchive` alone: its help, as click prints it
        click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        sys.exit(2)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "newsarchive"
        click.echo(f"error: {_sentence(exc.format_message())} (see '{command} --help')", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"error: {_sentence(exc.format_message())}", err=True)
        sys.exit(exc.exit_code)
    except (ConfigError, DatabaseError, SiteFileError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


def _sentence(message: str) -> str:
    """Click's messages start with a capital ("No such option"); ours are lower case after `error:`."""
    line = " ".join(message.split()).rstrip(".").replace(". (", " (")
    return line[:1].lower() + line[1:] if line[1:2].islower() else line
