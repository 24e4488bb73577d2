from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from bot.storage import CheckIn, Patient, SchemaOutOfDateError, Store, create_database_engine
from bot.storage.database import current_revision, latest_revision, prepare_schema

NOW = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)


def make_patient(store: Store, telegram_user_id: int = 2**40 + 7) -> Patient:
    return store.save_patient(
        Patient(
            telegram_user_id=telegram_user_id,
            chat_id=telegram_user_id,
            first_name="Ana",
            consent_version=1,
            consented_at=NOW,
            timezone="Europe/Berlin",
            checkin_time=time(20, 0),
            created_at=NOW,
            updated_at=NOW,
        )
    )


def test_the_schema_is_created_by_migrations_only(store: Store):
    tables = set(inspect(store.engine).get_table_names())
    assert {"patients", "consent_records", "conversations", "checkins"} <= tables
    assert "alembic_version" in tables
    assert current_revision(store.engine) == latest_revision(store.engine)


def test_models_and_migrations_agree(store: Store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(store: Store, database_url: str):
    prepare_schema(create_database_engine(database_url))
    assert current_revision(store.engine) == latest_revision(store.engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own settings; PostgreSQL needs none")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_database_folder_is_created_on_first_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'data' / 'bot.db'}"
    prepare_schema(create_database_engine(url))
    assert (tmp_path / "nested" / "data" / "bot.db").exists()


def test_telegram_ids_beyond_32_bits_survive(store: Store):
    patient = make_patient(store, telegram_user_id=2**40 + 7)
    assert store.patient_by_telegram_id(2**40 + 7) == patient


def test_timestamps_come_back_as_aware_utc(store: Store):
    berlin_evening = datetime(2026, 3, 28, 22, 30, tzinfo=timezone(timedelta(hours=1)))
    patient = make_patient(store)
    store.save_checkin(
        CheckIn(patient_id=patient.id, local_date=date(2026, 3, 28), mood=5, pain=4,
                recorded_at=berlin_evening, updated_at=berlin_evening)
    )  # fmt: skip
    stored = store.checkin_on(patient.id, date(2026, 3, 28))
    assert stored.recorded_at == datetime(2026, 3, 28, 21, 30, tzinfo=UTC)
    assert stored.recorded_at.tzinfo is UTC


def test_naive_timestamps_are_refused(store: Store):
    with pytest.raises(Exception, match="naive datetime"):
        store.save_patient(
            Patient(telegram_user_id=1, chat_id=1, first_name="X", consent_version=1,
                    consented_at=datetime(2026, 1, 1), created_at=NOW, updated_at=NOW)
        )  # fmt: skip


def test_one_checkin_per_local_date_is_replaced_not_duplicated(store: Store):
    patient = make_patient(store)
    day = date(2026, 3, 28)
    first, first_replaced = store.save_checkin(
        CheckIn(patient_id=patient.id, local_date=day, mood=3, pain=7, note="first",
                recorded_at=NOW, updated_at=NOW)
    )  # fmt: skip
    second, second_replaced = store.save_checkin(
        CheckIn(patient_id=patient.id, local_date=day, mood=6, pain=2, note=None,
                recorded_at=NOW + timedelta(hours=1), updated_at=NOW + timedelta(hours=1))
    )  # fmt: skip
    assert second.id == first.id
    assert (first_replaced, second_replaced) == (False, True)
    rows = store.checkins_between(patient.id, day, day)
    assert [(row.mood, row.pain, row.note) for row in rows] == [(6, 2, None)]


def test_the_database_itself_refuses_a_second_row_for_the_same_day(store: Store):
    patient = make_patient(store)
    with Session(store.engine) as session:
        for mood in (1, 2):
            session.add(CheckIn(patient_id=patient.id, local_date=date(2026, 3, 28), mood=mood,
                                pain=1, recorded_at=NOW, updated_at=NOW))  # fmt: skip
        with pytest.raises(IntegrityError):
            session.flush()


def test_the_database_refuses_scores_outside_the_scale(store: Store):
    patient = make_patient(store)
    with Session(store.engine) as session:
        session.add(CheckIn(patient_id=patient.id, local_date=date(2026, 3, 28), mood=11,
                            pain=1, recorded_at=NOW, updated_at=NOW))  # fmt: skip
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_shared_database_behind_on_migrations_is_refused(tmp_path, monkeypatch):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    monkeypatch.setattr(engine.dialect, "name", "postgresql")
    with pytest.raises(SchemaOutOfDateError, match="python -m bot db upgrade"):
        prepare_schema(engine)
