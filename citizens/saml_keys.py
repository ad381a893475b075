"""The SAML service-provider key pair of a municipality: made on first use, the private key stored encrypted.

The key is encrypted with a Fernet key derived from ``SECRET_KEY`` (rotating that key means making a new
pair and publishing new metadata). xmlsec1 reads keys from files: they are written once per process into
a private temporary folder (mode 0700), never into the repository or the media storage.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from citizens.models import SamlIdentityProvider

_folder: Path | None = None


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"amtsplatz.citizens.saml-key:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _new_pair(common_name: str) -> tuple[str, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), pem_key


def ensure_pair(provider: SamlIdentityProvider, *, common_name: str) -> None:
    """Give the provider's service provider a key pair unless it has one (saved at once)."""
    if provider.sp_certificate and provider.sp_private_key_encrypted:
        return
    certificate, key = _new_pair(common_name)
    provider.sp_certificate = certificate
    provider.sp_private_key_encrypted = _fernet().encrypt(key).decode()
    provider.save(update_fields=["sp_certificate", "sp_private_key_encrypted"])


def key_files(provider: SamlIdentityProvider) -> tuple[str, str]:
    """Paths of the (decrypted) key and the certificate for xmlsec1, written once per process and pair."""
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="amtsplatz-saml-"))
        _folder.chmod(0o700)
    fingerprint = hashlib.sha256(provider.sp_certificate.encode()).hexdigest()[:32]
    key_path, cert_path = _folder / f"{fingerprint}.key", _folder / f"{fingerprint}.crt"
    if not key_path.exists():
        cert_path.write_text(provider.sp_certificate)
        key = _fernet().decrypt(provider.sp_private_key_encrypted.encode())
        partial = _folder / f"{fingerprint}.{os.getpid()}.{id(key)}.part"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        partial.replace(key_path)  # atomic: a concurrent reader sees no key or the whole key
    return str(key_path), str(cert_path)
