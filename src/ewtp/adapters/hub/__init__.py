"""Hub adapters: the model files."""
