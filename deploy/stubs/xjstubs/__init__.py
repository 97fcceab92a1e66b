"""xjcloud's development/test stand-in for every outside system (WeChat, face verification 2.0,
the national construction-market platform, CA revocation lists), speaking their wire formats."""
from .app import create_app
from .config import StubConfigError
from .server import main, serve_in_thread
from .wechat import cert_hash

__all__ = ["create_app", "serve_in_thread", "main", "StubConfigError", "cert_hash"]
