"""The parts of `pipelines.extract`: decoding, site profiles, container choice, pruning, dates, metadata."""
