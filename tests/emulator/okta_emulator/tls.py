# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throw-away CA and a server certificate for 127.0.0.1, ::1 and localhost (and the org host, if a name)."""
from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Okta emulator"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def server_context(ca_out: str | None, extra_host: str | None) -> tuple[ssl.SSLContext, bytes]:
    """An SSL server context and its CA certificate (PEM), which is also written to ``ca_out`` for clients to trust."""
    now = datetime.datetime.now(datetime.timezone.utc)
    validity = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (x509.CertificateBuilder().subject_name(_name("Okta emulator CA")).issuer_name(_name("Okta emulator CA"))
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(validity[0]).not_valid_after(validity[1])
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False, key_agreement=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .sign(ca_key, hashes.SHA256()))
    names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                     x509.IPAddress(ipaddress.ip_address("::1"))]
    if extra_host and extra_host != "localhost":
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(extra_host.strip("[]"))))
        except ValueError:
            names.append(x509.DNSName(extra_host))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca_cert.subject)
                   .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(validity[0]).not_valid_after(validity[1])
                   .add_extension(x509.SubjectAlternativeName(list(dict.fromkeys(names))), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   # Python 3.13 verifies strictly (VERIFY_X509_STRICT): key identifiers are required.
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    if ca_out:
        with open(ca_out, "wb") as stream:
            stream.write(ca_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # load_cert_chain reads files only; they live just long enough to be loaded.
    with tempfile.TemporaryDirectory(prefix="okta-emulator-tls-") as directory:
        chain_path = os.path.join(directory, "server.pem")
        with open(chain_path, "wb") as stream:
            stream.write(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
            stream.write(server_cert.public_bytes(serialization.Encoding.PEM))
            stream.write(ca_cert.public_bytes(serialization.Encoding.PEM))
        context.load_cert_chain(chain_path)
    return context, ca_pem
