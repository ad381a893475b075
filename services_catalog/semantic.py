"""Semantic keys of form fields: what a field asks for, independent of its id (docs/form-semantic-keys.md).

An identity provider's confirmed attributes (eID: names, date of birth, address, nationality) prefill
the fields carrying the matching key; a form asks the provider for these keys only.
"""

SEMANTIC_KEYS = (
    "person.given_name",
    "person.family_name",
    "person.birth_name",
    "person.date_of_birth",
    "person.place_of_birth",
    "person.nationality",
    "address.street",
    "address.postcode",
    "address.city",
    "address.country",
    "contact.email",
)
