"""newsarchive: a scheduled crawler and searchable archive of Korean government news."""
