"""FIT-Connect-shaped hand-over: metadata valid against FITKO's published JSON Schema, JWE encryption."""
