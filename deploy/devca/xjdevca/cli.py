"""``xj-dev-ca``: the development CA on the command line (``python -m xjdevca`` too)."""

import argparse
import base64
import binascii
import os
import sys
from datetime import datetime
from pathlib import Path

from . import ca


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ca.DevCaError, OSError, ValueError) as exc:
        print(f"xj-dev-ca: {exc}", file=sys.stderr)
        return 1


def _init(args) -> int:
    existed = ca.DevCA(Path(args.dir)).exists()
    dev = ca.init_ca(args.dir, force=args.force, now=_instant(args.now))
    if existed and not args.force:
        print(f"dev CA already in {dev.directory} (kept; --force makes new roots)")
    else:
        print(f"created dev CA in {dev.directory}")
    _print_env(dev)
    return 0


def _issue(args) -> int:
    if args.person is None and (args.uscc is None) == (not args.no_uscc):
        raise ca.DevCaError("give --uscc CODE, or --no-uscc (or --person ID for a person's certificate)")
    if args.person is not None and args.uscc is not None:
        raise ca.DevCaError("--person and --uscc exclude each other")
    eku = () if args.eku.strip().lower() == "none" else tuple(n.strip() for n in args.eku.split(",") if n.strip())
    issued = ca.issue(
        args.dir,
        name=args.name,
        uscc=None if args.no_uscc or args.person is not None else args.uscc,
        eku=eku,
        policy=None if args.policy == "none" else args.policy,
        person=args.person,
        algorithm=args.alg,
        days=args.days,
        not_before=datetime.fromisoformat(args.not_before) if args.not_before else None,
        expired=args.expired,
        out=args.out,
        allow_invalid_uscc=args.allow_invalid_uscc,
        now=_instant(args.now),
    )
    print(f"certificate: {issued.cert_path}\nkey:         {issued.key_path}\nserial:      {issued.serial:x}")
    return 0


def _revoke(args) -> int:
    crl = ca.revoke(args.dir, args.cert)
    print(f"revoked; CRL rewritten: {crl}")
    return 0


def _refresh_crl(args) -> int:
    for path in ca.refresh_crls(args.dir):
        print(f"re-signed: {path}")
    return 0


def _env(args) -> int:
    for name, value in ca.environment(args.dir).items():
        print(f"{name}={value}")
    return 0


def _sign(args) -> int:
    signature = ca.sign_nonce(Path(args.key).read_bytes(), _base64(args.nonce), args.alg)
    print(base64.b64encode(signature).decode())
    return 0


def _base64(text: str) -> bytes:
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    for altchars in (None, b"-_"):  # standard or URL-safe
        try:
            return base64.b64decode(compact, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
    raise ca.DevCaError("--nonce is not base64")


def _sample(args) -> int:
    issued = ca.sample(args.dir, args.data, now=_instant(args.now), keep_current=args.keep_current)
    dev = ca.DevCA(Path(args.dir))
    for item in issued:
        print(f"{item.uscc}  {item.algorithm:5}  {item.name}\n    {item.cert_path}\n    {item.key_path}")
    print(f"{len(issued)} certificates; list in {dev.directory / 'sample' / 'index.json'}")
    _print_env(dev)
    return 0


def _instant(text):
    """``--now``: ISO 8601, no offset means +08:00 (as XJ_FAKE_NOW); None means real now."""
    return datetime.fromisoformat(text.strip()) if text and text.strip() else None


def _add_now(command) -> None:
    command.add_argument("--now", default=os.environ.get("XJ_FAKE_NOW"),
                         help="the business instant the certificates are valid around, ISO 8601 (no offset "
                         "means +08:00); default: XJ_FAKE_NOW when set, else now. CRLs always carry real time")


def _print_env(dev: ca.DevCA) -> None:
    for name, value in ca.environment(dev.directory).items():
        print(f"export {name}='{value}'")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xj-dev-ca",
        description="Development CA for xjcloud enterprise (CA锁) logins: RSA and SM2 roots, "
        "enterprise certificates, CRLs, and the USB-key signature over a login nonce. Not for production.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the RSA and SM2 dev roots, empty CRLs and roots.pem")
    init.add_argument("--dir", required=True, help="CA directory")
    init.add_argument("--force", action="store_true", help="replace existing roots (old certificates stop working)")
    _add_now(init)
    init.set_defaults(run=_init)

    issue = commands.add_parser("issue", help="issue an enterprise login certificate and its key")
    issue.add_argument("--dir", required=True, help="CA directory")
    issue.add_argument("--uscc", help="unified social credit code (put in the subject serialNumber)")
    issue.add_argument("--no-uscc", action="store_true", help="leave the USCC out (to test CA_NO_USCC)")
    issue.add_argument("--allow-invalid-uscc", action="store_true", help="accept a code failing GB 32100 (tests)")
    issue.add_argument("--name", required=True, help="enterprise name (O and CN)")
    issue.add_argument("--alg", choices=ca.ALGORITHMS, default="rsa", help="key algorithm (default rsa)")
    issue.add_argument("--days", type=int, default=365, help="validity in days (default 365)")
    issue.add_argument("--not-before", help="start of validity, ISO 8601 (no offset means +08:00)")
    issue.add_argument("--expired", action="store_true", help="a certificate that expired yesterday")
    issue.add_argument("--out", help="output prefix: writes PREFIX.cert.pem and PREFIX.key.pem "
                       "(default DIR/issued/<uscc>-<alg>)")
    issue.add_argument("--eku", default="clientAuth",
                       help="extended key usages, comma-separated (clientAuth, serverAuth, emailProtection, "
                       "codeSigning), or none (default clientAuth)")
    issue.add_argument("--policy", choices=("enterprise", "person", "none"), default="enterprise",
                       help="certificate policy: the dev CA's enterprise (default) or person policy, or none")
    issue.add_argument("--person", metavar="ID_NUMBER",
                       help="a person's certificate: subject CN=NAME, serialNumber=ID_NUMBER, person policy")
    _add_now(issue)
    issue.set_defaults(run=_issue)

    refresh = commands.add_parser("refresh-crl", help="re-sign both CRLs now (entries kept; next update in 30 days)")
    refresh.add_argument("--dir", required=True, help="CA directory")
    refresh.set_defaults(run=_refresh_crl)

    env = commands.add_parser("env", help="print XJ_CA_ROOTS, XJ_CA_CRLS, XJ_CA_POLICIES, XJ_CA_PERSON_POLICIES "
                              "(NAME=VALUE lines) for this CA")
    env.add_argument("--dir", required=True, help="CA directory")
    env.set_defaults(run=_env)

    revoke = commands.add_parser("revoke", help="put a certificate on its root's CRL (crl-rsa.pem / crl-sm2.pem)")
    revoke.add_argument("--dir", required=True, help="CA directory")
    revoke.add_argument("--cert", required=True, help="certificate PEM to revoke")
    revoke.set_defaults(run=_revoke)

    sign = commands.add_parser("sign", help="print the base64 signature over a login nonce, as the USB key does")
    sign.add_argument("--key", required=True, help="private key PEM (RSA, EC or SM2; PKCS#8 or SEC1)")
    sign.add_argument("--nonce", required=True, help="the challenge nonce, base64 (write --nonce=VALUE when it starts with '-')")
    sign.add_argument("--alg", choices=("auto", *ca.ALGORITHMS), default="auto", help="expected key algorithm")
    sign.set_defaults(run=_sign)

    sample = commands.add_parser("sample", help="certificates for every enterprise of a national-platform dataset")
    sample.add_argument("--dir", required=True, help="CA directory (created if missing)")
    sample.add_argument("--data", required=True, help="dataset JSON (e.g. deploy/stubs/xjstubs/data/national-platform.json)")
    sample.add_argument("--keep-current", action="store_true",
                        help="keep existing samples that carry what a login needs today (re-issue older ones)")
    _add_now(sample)
    sample.set_defaults(run=_sample)
    return parser
