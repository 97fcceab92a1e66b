"""The national construction-market platform (全国建筑市场监管公共服务平台, 四库一平台).

It has no public API, so the stub defines a small JSON REST API under /national/api/v1/ (see the
README) over a dataset in the format of xjstubs/data/national-platform.json (the development dataset;
`xj-national-dataset` generates larger ones):
`{"enterprises": [{"uscc", "name", ..., "qualifications": [...]}],
  "persons": [{"id_card_no", "name", "gender", "registered_certs": [{"cert_no", "type", "specialties": [...],
  "registered_uscc", ...}]}]}`.
Registered certificates are served one row per speciality, as the real platform lists them.
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from flask import Blueprint, jsonify, request

from .config import StubConfigError

API = "/national/api/v1"
MAX_BATCH = 500   # id_card_no values in one enterprise-certificates query
OUTAGE_MODES = ("ok", "down", "slow")
DEFAULT_SLOW_SECONDS = 3.0


class DatasetError(ValueError):
    """The document is not a national-platform dataset; the message names the first bad path."""


def _require(cond: bool, path: str, problem: str) -> None:
    if not cond:
        raise DatasetError(f"{path}: {problem}")


def _is_text(value) -> bool:
    return isinstance(value, str) and value != ""


def validate_dataset(doc) -> None:
    """Raise DatasetError unless `doc` has the shape of national-platform.json."""
    _require(isinstance(doc, dict), "$", "must be a JSON object")
    for key in ("enterprises", "persons"):
        _require(isinstance(doc.get(key), list), f"$.{key}", "must be a list")
    seen = set()
    for i, ent in enumerate(doc["enterprises"]):
        path = f"$.enterprises[{i}]"
        _require(isinstance(ent, dict), path, "must be an object")
        _require(_is_text(ent.get("uscc")), f"{path}.uscc", "must be a non-empty string")
        _require(ent["uscc"] not in seen, f"{path}.uscc", f"duplicate {ent['uscc']}")
        seen.add(ent["uscc"])
        _require(_is_text(ent.get("name")), f"{path}.name", "must be a non-empty string")
        quals = ent.get("qualifications")
        _require(isinstance(quals, list), f"{path}.qualifications", "must be a list")
        for j, qual in enumerate(quals):
            _require(isinstance(qual, dict), f"{path}.qualifications[{j}]", "must be an object")
    seen = set()
    for i, person in enumerate(doc["persons"]):
        path = f"$.persons[{i}]"
        _require(isinstance(person, dict), path, "must be an object")
        _require(_is_text(person.get("id_card_no")), f"{path}.id_card_no", "must be a non-empty string")
        _require(person["id_card_no"] not in seen, f"{path}.id_card_no", "duplicate")
        seen.add(person["id_card_no"])
        _require(_is_text(person.get("name")), f"{path}.name", "must be a non-empty string")
        certs = person.get("registered_certs")
        _require(isinstance(certs, list), f"{path}.registered_certs", "must be a list")
        for j, cert in enumerate(certs):
            cpath = f"{path}.registered_certs[{j}]"
            _require(isinstance(cert, dict), cpath, "must be an object")
            for field in ("cert_no", "type", "registered_uscc"):
                _require(_is_text(cert.get(field)), f"{cpath}.{field}", "must be a non-empty string")
            specialties = cert.get("specialties")
            _require(isinstance(specialties, list) and specialties
                     and all(_is_text(s) for s in specialties),
                     f"{cpath}.specialties", "must be a non-empty list of strings")


def load_dataset_file(path: str) -> dict:
    """The dataset at `path`, validated; StubConfigError with a clear message otherwise."""
    file = Path(path)
    if not file.is_file():
        raise StubConfigError(
            f"national-platform dataset not found: {file} (set XJ_NATIONAL_DATA to a file in the "
            f"format of xjstubs/data/national-platform.json)")
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        validate_dataset(doc)
    except (ValueError, UnicodeDecodeError) as exc:   # JSONDecodeError and DatasetError are ValueErrors
        raise StubConfigError(f"national-platform dataset {file} is not usable: {exc}") from None
    return doc


def certificate_rows(person: dict) -> list[dict]:
    """A person's registered certificates, one row per speciality."""
    rows = []
    for cert in person["registered_certs"]:
        common = {k: v for k, v in cert.items() if k != "specialties"}
        for specialty in cert["specialties"]:
            rows.append({"id_card_no": person["id_card_no"], "name": person["name"],
                         **common, "specialty": specialty})
    return rows


class Dataset:
    """An immutable, indexed view of one dataset document."""

    def __init__(self, doc: dict):
        self.enterprises = {e["uscc"]: e for e in doc["enterprises"]}
        self.persons = {p["id_card_no"]: p for p in doc["persons"]}
        self.rows_by_person = {pid: certificate_rows(p) for pid, p in self.persons.items()}
        self.rows_by_uscc: dict[str, list[dict]] = {}
        for rows in self.rows_by_person.values():
            for row in rows:
                self.rows_by_uscc.setdefault(row["registered_uscc"], []).append(row)


class NationalState:
    def __init__(self, config: dict):
        self.file_dataset = Dataset(load_dataset_file(config["national_data"]))
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.dataset = self.file_dataset
            self.mode = "ok"
            self.delay_seconds = 0.0

    def current(self) -> Dataset:
        with self.lock:
            return self.dataset


def _not_found(message: str):
    return jsonify({"code": "NOT_FOUND", "message": message}), 404


def _bad_request(message: str):
    return jsonify({"code": "BAD_REQUEST", "message": message}), 400


def _requested_ids() -> list[str] | None:
    """`?id_card_no=a,b,c` (also repeated), or None when absent."""
    values = request.args.getlist("id_card_no")
    if not values:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def make_blueprint(state: NationalState) -> Blueprint:
    bp = Blueprint("national", __name__)

    @bp.before_request
    def outage():
        if not request.path.startswith(API + "/"):
            return None
        with state.lock:
            mode, delay = state.mode, state.delay_seconds
        if mode == "down":
            response = jsonify({"code": "UNAVAILABLE", "message": "national platform unavailable (stub outage)"})
            return response, 503
        if mode == "slow":
            time.sleep(delay)
        return None

    @bp.get(f"{API}/enterprises/<uscc>")
    def enterprise(uscc):
        ent = state.current().enterprises.get(uscc)
        return jsonify(ent) if ent else _not_found(f"no enterprise with uscc {uscc}")

    @bp.get(f"{API}/enterprises/<uscc>/qualifications")
    def qualifications(uscc):
        ent = state.current().enterprises.get(uscc)
        if not ent:
            return _not_found(f"no enterprise with uscc {uscc}")
        category = request.args.get("category")
        items = [q for q in ent["qualifications"] if category is None or q.get("category") == category]
        return jsonify({"items": items})

    @bp.get(f"{API}/enterprises/<uscc>/certificates")
    def enterprise_certificates(uscc):
        dataset = state.current()
        if uscc not in dataset.enterprises:
            return _not_found(f"no enterprise with uscc {uscc}")
        ids = _requested_ids()
        if ids is not None and len(ids) > MAX_BATCH:
            return _bad_request(f"at most {MAX_BATCH} id_card_no values per request")
        rows = dataset.rows_by_uscc.get(uscc, [])
        if ids is not None:
            wanted = set(ids)
            rows = [r for r in rows if r["id_card_no"] in wanted]
        return jsonify({"items": rows})

    @bp.get(f"{API}/persons/<id_card_no>")
    def person(id_card_no):
        found = state.current().persons.get(id_card_no)
        if not found:
            return _not_found("no person with that id_card_no")
        return jsonify({k: v for k, v in found.items() if k != "registered_certs"})

    @bp.get(f"{API}/persons/<id_card_no>/certificates")
    def person_certificates(id_card_no):
        rows = state.current().rows_by_person.get(id_card_no)
        if rows is None:
            return _not_found("no person with that id_card_no")
        return jsonify({"items": rows})

    # --- control (tests) ---------------------------------------------------------------------
    @bp.post("/stub/national/outage")
    def set_outage():
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict) or body.get("mode") not in OUTAGE_MODES:
            return _bad_request(f"body must be {{\"mode\": one of {', '.join(OUTAGE_MODES)}, \"delay_seconds\"?}}")
        delay = body.get("delay_seconds", DEFAULT_SLOW_SECONDS if body["mode"] == "slow" else 0)
        if not isinstance(delay, (int, float)) or isinstance(delay, bool) or not 0 <= delay <= 300:
            return _bad_request("delay_seconds must be a number from 0 to 300")
        with state.lock:
            state.mode, state.delay_seconds = body["mode"], float(delay)
        return jsonify({"mode": body["mode"], "delay_seconds": float(delay)})

    @bp.post("/stub/national/dataset")
    def replace_dataset():
        body = request.get_json(force=True, silent=True)
        try:
            validate_dataset(body)
        except DatasetError as exc:
            return _bad_request(f"not a national-platform dataset: {exc}")
        dataset = Dataset(body)
        with state.lock:
            state.dataset = dataset
        return jsonify({"enterprises": len(dataset.enterprises), "persons": len(dataset.persons)})

    return bp
