"""Reference tables as versioned files; every row carries an effective date and a source."""
