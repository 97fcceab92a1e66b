"""Print the gateway's OpenAPI document (what /openapi.json serves), built from the Flask app itself.

Run with the project's virtualenv: ``.venv/bin/python portal/scripts/dump_openapi.py``. No broker,
store or service is needed: the document is generated from the code.
"""
import json
import logging
import os
import sys
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("XJ_ENV", "test")
logging.disable(logging.CRITICAL)

from gateway.app import create_app  # noqa: E402


def main():
    app = create_app({"TESTING": True})
    response = app.test_client().get("/openapi.json")
    if response.status_code != 200:
        sys.exit(f"/openapi.json answered {response.status_code}")
    json.dump(response.get_json(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
