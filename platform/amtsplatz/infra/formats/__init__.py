"""Date and time formats per language (Django's FORMAT_MODULE_PATH), overriding Django's defaults."""
