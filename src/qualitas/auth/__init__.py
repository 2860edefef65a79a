"""Users, roles, site scopes, sessions, API tokens, MFA and password policy."""
