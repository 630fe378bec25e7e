"""Model fields whose value is plaintext in Python and Fernet ciphertext in the database."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class EncryptedBinaryField(models.BinaryField):
    """Bytes encrypted at rest: an uploaded ledger, its error report (they hold ID and phone numbers).
    Empty stays empty, so `data=b""` still finds a cleared file."""

    description = "Bytes encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or len(value) == 0:
            return value
        return crypto.decrypt_bytes(bytes(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and len(value) > 0:
            value = crypto.encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)
