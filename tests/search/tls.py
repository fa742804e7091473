"""A throw-away certificate authority for the HTTPS stand-in: the CA, a server certificate for
127.0.0.1 (sent with its chain, as Elasticsearch 8's auto-configured HTTP layer does) and a
client certificate, written as PEM files. Generated per test run with `cryptography`."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_chain: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    ca_fingerprint: str  # SHA-256 of the CA, as `elasticsearch` prints at first start


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject: str, key, issuer: str, issuer_key, *, ca: bool, ip: str | None = None) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make(directory: Path, name: str = "test") -> Pki:
    ca_key, server_key, client_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca = _cert(f"{name} CA", ca_key, f"{name} CA", ca_key, ca=True)
    server = _cert("127.0.0.1", server_key, f"{name} CA", ca_key, ca=False, ip="127.0.0.1")
    client = _cert("casebook-app", client_key, f"{name} CA", ca_key, ca=False)
    paths = {n: directory / f"{name}-{n}.pem" for n in ("ca", "chain", "server-key", "client", "client-key")}
    paths["ca"].write_bytes(_pem(ca))
    paths["chain"].write_bytes(_pem(server) + _pem(ca))
    paths["server-key"].write_bytes(_key_pem(server_key))
    paths["client"].write_bytes(_pem(client))
    paths["client-key"].write_bytes(_key_pem(client_key))
    fingerprint = hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest()
    return Pki(paths["ca"], paths["chain"], paths["server-key"], paths["client"], paths["client-key"],
               ":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)).upper())
