"""The ground floor: domain types every other package shares (time windows in KST, the article record, the
fetched page, ministries, rejection kinds, the canonical URL). It imports nothing of the project but `sites`."""
