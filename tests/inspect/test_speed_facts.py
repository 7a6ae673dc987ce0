"""The byte filter that decides which modules the facts parse."""

from planner.inspect.corpus import states_facts


def test_a_sqlmodel_table_is_worth_a_parse() -> None:
    assert states_facts(b"class Item(SQLModel, table = True):\n    id: int\n")
    assert states_facts(b"class Item(SQLModel,table=True): ...\n")


def test_table_must_be_a_whole_word() -> None:
    # ``is_table=True`` is a flag of some other call, not a SQLModel table.
    assert not states_facts(b"render(is_table=True)\n")
    assert states_facts(b"render(is_table=True)\nclass T(SQLModel, table=True): ...\n")
