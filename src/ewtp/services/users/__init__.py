"""Use cases of the users capability: sign up, sign in and out, invite, manage users."""
