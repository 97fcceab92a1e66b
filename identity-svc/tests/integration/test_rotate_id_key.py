"""xj-rotate-id-key against the real document store: every ID number re-encrypted and re-hashed
under the new key, resumable, and nothing changed that neither key opens."""
import datetime
import io
import secrets

import pytest

from identity.rotate_id_key import main, rotate
from xjkit.idvault import IdVault, InvalidToken

pytestmark = pytest.mark.integration

OLD, NEW, OTHER = (secrets.token_hex(32) for _ in range(3))
ID_NUMBERS = ["11010519491231002X", "510100196609086389", "510100198612235495"]


def vault(hex_key):
    return IdVault(bytes.fromhex(hex_key))


@pytest.fixture
def persons(database):
    old = vault(OLD)
    for index, number in enumerate(ID_NUMBERS):
        database.persons.insert_one({"_id": f"p{index}", "openid": f"o{index}", "version": 3, "outbox": [],
                                     "outbox_pending": False, "id_card_enc": old.encrypt(number),
                                     "id_hash": old.lookup_hash(number), "id_card_masked": "110105********002X"})
    database.persons.insert_one({"_id": "unverified", "openid": "o9", "version": 1, "outbox": [],
                                 "outbox_pending": False})
    database.face_checks.insert_one({"_id": "v1", "person_id": "p0", "version": 1, "outbox": [],
                                     "outbox_pending": False, "id_card_enc": old.encrypt(ID_NUMBERS[0]),
                                     "expires_at": datetime.datetime.now(datetime.timezone.utc)})
    return database


def test_every_id_number_is_re_encrypted_and_found_by_its_new_hash(persons):
    report = rotate(persons, vault(OLD), vault(NEW), out=io.StringIO())
    assert report == {"persons": (3, 0, 0), "face_checks": (1, 0, 0)}
    new = vault(NEW)
    for index, number in enumerate(ID_NUMBERS):
        document = persons.persons.find_one({"id_hash": new.lookup_hash(number)})
        assert document["_id"] == f"p{index}" and new.decrypt(document["id_card_enc"]) == number
        assert document["version"] == 4
        with pytest.raises(InvalidToken):
            vault(OLD).decrypt(document["id_card_enc"])
    assert new.decrypt(persons.face_checks.find_one({"_id": "v1"})["id_card_enc"]) == ID_NUMBERS[0]
    assert "id_hash" not in persons.persons.find_one({"_id": "unverified"})


def test_a_second_run_changes_nothing_so_an_interrupted_rotation_is_run_again(persons):
    rotate(persons, vault(OLD), vault(NEW), out=io.StringIO())
    before = list(persons.persons.find({}))
    assert rotate(persons, vault(OLD), vault(NEW), out=io.StringIO()) == {"persons": (0, 3, 0), "face_checks": (0, 1, 0)}
    assert list(persons.persons.find({})) == before


def test_a_dry_run_writes_nothing(persons):
    before = list(persons.persons.find({}))
    assert rotate(persons, vault(OLD), vault(NEW), dry_run=True, out=io.StringIO())["persons"] == (3, 0, 0)
    assert list(persons.persons.find({})) == before


def test_with_the_wrong_old_key_nothing_is_changed_and_it_exits_1(persons, store_uri, capsys):
    before = list(persons.persons.find({}))
    code = main(["--uri", store_uri, "--database", persons.name],
                environ={"XJ_ID_KEY_OLD": OTHER, "XJ_ID_KEY_NEW": NEW})
    assert code == 1 and "neither key opens" in capsys.readouterr().out
    assert list(persons.persons.find({})) == before


def test_the_keys_must_come_from_the_environment(capsys):
    assert main(["--uri", "mongodb://127.0.0.1:9"], environ={"XJ_ID_KEY_NEW": NEW}) == 2
    assert "XJ_ID_KEY_OLD" in capsys.readouterr().err
