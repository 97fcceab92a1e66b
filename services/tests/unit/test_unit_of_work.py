"""The unit of work: an aggregate's change and the events it recorded are written together, once,
and only on commit (xjkit.unit_of_work, xjkit.aggregate, the in-memory repository of xjkit.fakes)."""
import datetime
from dataclasses import dataclass

import pytest

from xjkit.aggregate import Aggregate
from xjkit.clock import SHANGHAI
from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.fakes import InMemoryRepository
from xjkit.mongo.entities import entity_to_document
from xjkit.unit_of_work import UnitOfWork, change_each

AT = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


@dataclass
class Account(Aggregate):
    account_id: str
    name: str
    balance: int = 0
    version: int = 0
    stored_outbox: list = None

    def deposit(self, amount):
        self.balance += amount
        self.record("bank.deposited", {"account_id": self.account_id, "amount": amount}, AT)


class Accounts(InMemoryRepository):
    id_field = "account_id"
    unique_keys = (("name_1", lambda account: account.name),)


class Bank(UnitOfWork):
    def __init__(self, accounts=None):
        super().__init__(accounts=accounts or Accounts())


@pytest.fixture
def bank():
    bank = Bank()
    bank.accounts.put(Account("a1", "甲"))
    return bank


def test_commit_writes_the_change_and_its_recorded_events_in_one_write(bank):
    with bank:
        bank.accounts.get("a1").deposit(5)
        bank.commit()
    assert bank.accounts.writes == 1
    assert [(e.type, e.payload["amount"]) for e in bank.accounts.events] == [("bank.deposited", 5)]
    assert bank.accounts.items["a1"].balance == 5 and bank.accounts.items["a1"].version == 2


def test_leaving_the_block_without_commit_writes_nothing(bank):
    with bank:
        bank.accounts.get("a1").deposit(5)
    assert bank.accounts.writes == 0 and bank.accounts.events == []
    assert bank.accounts.items["a1"].balance == 0


def test_an_aggregate_only_read_is_not_written(bank):
    with bank:
        bank.accounts.get("a1")
        bank.commit()
    assert bank.accounts.writes == 0


def test_a_change_without_an_event_is_written_too(bank):
    with bank:
        bank.accounts.get("a1").name = "乙"
        bank.commit()
    assert bank.accounts.writes == 1 and bank.accounts.items["a1"].name == "乙" and bank.accounts.events == []


def test_an_aggregate_changed_again_after_a_commit_is_written_by_the_next_commit(bank):
    with bank:
        account = bank.accounts.get("a1")
        account.deposit(1)
        bank.commit()
        account.deposit(2)
        bank.commit()
        bank.commit()  # nothing new: no write
    assert bank.accounts.writes == 2 and bank.accounts.items["a1"].balance == 3
    assert [e.payload["amount"] for e in bank.accounts.events] == [1, 2]


def test_a_conflicting_write_stores_nothing_and_keeps_the_events_for_the_retry(bank):
    def another_writer(accounts):
        [stored] = accounts.stored()
        accounts.put(stored)  # the version moves on under our feet
    bank.accounts.before_next_write = another_writer
    with bank:
        account = bank.accounts.get("a1")
        account.deposit(5)
        with pytest.raises(ConcurrencyConflict):
            bank.commit()
        assert [e.type for e in account.events] == ["bank.deposited"]
    assert bank.accounts.events == [] and bank.accounts.items["a1"].balance == 0


def test_a_new_aggregate_is_inserted_on_commit_and_a_unique_key_clash_raises(bank):
    with bank:
        bank.accounts.add(Account("a2", "丙"))
        bank.commit()
    assert bank.accounts.items["a2"].version == 1
    with bank:
        bank.accounts.add(Account("a3", "丙"))
        with pytest.raises(DuplicateKey):
            bank.commit()
    assert "a3" not in bank.accounts.items


def test_recorded_events_are_never_part_of_the_stored_document(bank):
    account = Account("a9", "丁")
    account.deposit(3)
    document = entity_to_document(account, "account_id")
    assert "_recorded_events" not in document and "events" not in document
    assert account == Account("a9", "丁", balance=3)  # nor of equality


def test_only_aggregates_can_be_tracked():
    class Plain:
        pass
    with Bank() as bank, pytest.raises(TypeError):
        bank.see(bank.accounts, Plain(), new=True)


def test_change_each_commits_each_changed_one_alone_and_skips_one_another_instance_changed_first(bank):
    for account_id in ("a2", "a3", "a4"):
        bank.accounts.put(Account(account_id, account_id))

    def another_instance(accounts):  # a3 is changed by someone else between our read and our write
        stored = accounts.items["a3"]
        accounts.put(stored)
    def deposit_unless_a4(account):
        if account.account_id == "a4":
            return False
        if account.account_id == "a3":
            bank.accounts.before_next_write = another_instance
        account.deposit(1)
        return True
    committed = change_each(bank, bank.accounts.get, ["a1", "a2", "a3", "a4", "gone"], deposit_unless_a4)
    assert [a.account_id for a in committed] == ["a1", "a2"]
    assert [bank.accounts.items[i].balance for i in ("a1", "a2", "a3", "a4")] == [1, 1, 0, 0]
    assert bank.accounts.writes == 2
