"""The Docker files agree with the README and with the bot itself.

No Docker daemon runs where the tests run, so the images are never built here; instead these
tests read ``Dockerfile``, ``docker-compose.yml``, ``.dockerignore`` and the README's
"Deployment" section, whose first code block holds the two production commands, in order: the
schema upgrade, then the command that runs the bot. Every command is checked to exist in
``python -m bot``, so neither file can name one the bot does not have.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.__main__ import main
from bot.config import REPOSITORY_ROOT, Settings

README = REPOSITORY_ROOT / "README.md"
COMPOSE = REPOSITORY_ROOT / "docker-compose.yml"
DOCKERFILE = REPOSITORY_ROOT / "Dockerfile"
DOCKERIGNORE = REPOSITORY_ROOT / ".dockerignore"
ENV_EXAMPLE = REPOSITORY_ROOT / ".env.example"

UPGRADE = ["python", "-m", "bot", "db", "upgrade"]
# ${NAME}, ${NAME:-default}, ${NAME:?error} and $NAME, but not $$ (Compose's literal dollar).
INTERPOLATION = re.compile(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def documented_commands(readme: str) -> list[list[str]]:
    """The lines of the first code block under the "## Deployment" heading, as arguments."""
    section = re.search(r"^## Deployment\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert section, 'README.md has no "## Deployment" section'
    block = re.search(r"^```[^\n]*\n(.*?)^```", section[1], re.MULTILINE | re.DOTALL)
    assert block, 'the "## Deployment" section of README.md has no code block'
    return [shlex.split(line) for line in block[1].splitlines() if line.strip()]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def command_of(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical = re.sub(r"\\\n", " ", re.sub(r"^\s*#.*\n", "", text, flags=re.MULTILINE))
    pairs = []
    for line in logical.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def exec_form(arguments: str) -> list[str]:
    """A Dockerfile command in exec form (a JSON list) or shell form, as arguments."""
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def documented_settings() -> set[str]:
    """The names ``.env.example`` assigns (not the ones only mentioned in its comments)."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def assert_is_a_bot_command(command: list[str]) -> None:
    """``python -m bot ...`` with a subcommand the bot has (its --help exits with 0)."""
    assert command[:3] == ["python", "-m", "bot"], command
    with pytest.raises(SystemExit) as exit_status:
        main([*command[3:], "--help"])
    assert exit_status.value.code == 0, f"python -m bot has no command {command[3:]}"


def test_the_readme_finds_its_commands_in_the_first_block_of_the_deployment_section():
    readme = (
        "# Bot\n\n```bash\npip install .\n```\n\n## Deployment\n\nOn a server:\n\n"
        "```bash\npython -m bot db upgrade\npython -m bot run\n```\n\n```bash\nother\n```\n"
        "## Next\n"
    )
    assert documented_commands(readme) == [UPGRADE, ["python", "-m", "bot", "run"]]
    with pytest.raises(AssertionError, match="no code block"):
        documented_commands("## Deployment\n\nNothing to run.\n\n## Next\n\n```\nx\n```\n")


def test_the_bot_service_runs_the_command_the_readme_documents():
    upgrade, run = documented_commands(README.read_text(encoding="utf-8"))[:2]
    services = compose()["services"]

    assert command_of(services["bot"]) == run
    assert command_of(services["migrate"]) == upgrade == UPGRADE
    assert_is_a_bot_command(run)
    assert_is_a_bot_command(upgrade)


def test_the_migrations_run_once_postgres_is_ready_and_the_bot_only_after_them():
    services = compose()["services"]

    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["migrate"].get("restart") == "no"
    assert services["bot"]["restart"] == "unless-stopped"


def test_the_bot_reads_its_secrets_from_env_and_its_database_is_the_postgres_service():
    services = compose()["services"]
    for name in ("migrate", "bot"):
        service = services[name]
        env_files = service["env_file"]
        assert ".env" in ([env_files] if isinstance(env_files, str) else env_files)
        url = service["environment"]["DATABASE_URL"]
        password = INTERPOLATION.sub("secret", url)
        assert make_url(password).drivername == "postgresql+psycopg"
        assert make_url(password).host == "postgres"
        assert "${POSTGRES_PASSWORD" in url  # from .env, never written in the file


def test_every_variable_the_compose_file_reads_is_documented_in_env_example():
    text = COMPOSE.read_text(encoding="utf-8")
    documented = documented_settings()
    interpolated = set(INTERPOLATION.findall(text))

    assert interpolated, "the compose file reads no variable: is INTERPOLATION still right?"
    assert interpolated <= documented, f"not in .env.example: {interpolated - documented}"
    services = compose()["services"]
    for name in ("migrate", "bot"):
        given = set(services[name].get("environment", {}))
        assert given <= documented, f"{name} sets {given - documented}, not in .env.example"
        assert {key.lower() for key in given} <= set(Settings.model_fields), given


def test_the_image_runs_as_a_non_root_user_with_a_health_check_and_the_documented_command():
    instructions = dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    health = [arguments for instruction, arguments in instructions if instruction == "HEALTHCHECK"]
    commands = [arguments for instruction, arguments in instructions if instruction == "CMD"]
    run = documented_commands(README.read_text(encoding="utf-8"))[1]

    assert users, "the Dockerfile never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert len(health) == 1
    check = exec_form(re.sub(r"^(--\S+\s+)*CMD\s+", "", health[0]))
    assert check == ["python", "-m", "bot", "health"]
    assert_is_a_bot_command(check)
    assert exec_form(commands[-1]) == run


def test_secrets_and_local_data_stay_out_of_the_image():
    ignored = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".env", ".venv", "data", ".git"} <= ignored
