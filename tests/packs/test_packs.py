"""Blueprint packs rendered for real with copier: folders, git tags, safety, fit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from planner import __version__, make_plan, prepare, read_spec, render_markdown
from planner.cli.main import main
from planner.errors import OutputExistsError, PackError
from planner.packs.apply import PackedPlan, apply_packs
from planner.packs.manifest import check_fit, read_manifest
from planner.packs.questions import Answer, ask_answers
from planner.packs.source import content_sha256, parse_pack_ref
from planner.spec import AnySpec, PackUse
from planner.specfile import parse_spec
from tests.paths import ROOT

pytest.importorskip("copier")

EXAMPLE = ROOT / "packs" / "example"
SPEC = ROOT / "examples" / "crud-items.toml"
ADR = "docs/adr/items-crud.md"
REVIEW = ".claude/docs/items-crud.review.md"
ENTER, DOWN, BACKSPACE = "\r", "\x1b[B", "\x7f"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def build_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root`; return `root`."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def tiny_pack(root: Path, config: str) -> Path:
    """A pack whose copier.yml is `config`; it renders `NOTE.md`."""
    return build_tree(
        root,
        {
            "copier.yml": "_subdirectory: template\n" + config,
            "template/NOTE.md.jinja": "{{ plan.name }} {{ spec.kind }}\n",
        },
    )


META = '_planner: {kinds: [crud-resource], planner: ">=0.1,<1"}\n'


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
         "-c", "tag.gpgsign=false", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture
def spec() -> AnySpec:
    return read_spec(SPEC).spec


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def packed_with(
    spec: AnySpec, project: Path, *packs: str, trust: bool = False
) -> PackedPlan:
    plan = make_plan(spec, request=prepare(spec, project=project))
    return apply_packs(
        spec, plan, project=project, fmt="markdown", extra=packs, trust=trust
    )


def files_of(packed: PackedPlan) -> dict[str, str]:
    return {item.path: item.text for item in packed.files}


# The example pack from a local folder


def test_example_pack_from_a_folder(spec: AnySpec, project: Path) -> None:
    packed = packed_with(spec, project, str(EXAMPLE))
    files = files_of(packed)
    assert sorted(files) == [REVIEW, ADR]
    assert files[ADR].startswith("# ADR: CRUD resource: items\n\n- Status: proposed")
    assert "- Owner: platform" in files[ADR]
    assert "`.claude/docs/items-crud.md`" in files[ADR]
    assert "- [ ] `DELETE /items/{item_id}` answers 204" in files[REVIEW]
    assert "Merge after 2 approvals." in files[REVIEW]
    # Not wrapped by default: the Markdown is planner's own.
    assert packed.text == render_markdown(packed.plan)
    (source,) = packed.plan.provenance.packs
    assert (source.name, source.source, source.ref, source.commit) == (
        "example",
        str(EXAMPLE),
        "",
        "",
    )
    assert source.sha256 == content_sha256(EXAMPLE)


def test_packs_see_the_plan_as_json_and_provenance_records_them(
    spec: AnySpec, project: Path
) -> None:
    build_tree(
        project / "pack",
        {
            "copier.yml": META,
            "dump.json.jinja": "{{ plan | tojson }}",
        },
    )
    plan = make_plan(spec, request=prepare(spec, project=project))
    packed = apply_packs(
        spec, plan, project=project, fmt="json", extra=[str(project / "pack")]
    )
    dumped = json.loads(files_of(packed)["dump.json"])
    assert dumped == json.loads(packed.text)
    assert dumped["provenance"]["packs"][0]["name"] == "pack"
    assert dumped["endpoints"][0]["method"] == "GET"


def test_answers_from_the_spec_and_a_markdown_replacement(
    spec: AnySpec, project: Path
) -> None:
    answers: dict[str, Answer] = {
        "team": "payments",
        "approvals": 1,
        "wrap_markdown": True,
    }
    spec = spec.model_copy(update={"packs": {"example": PackUse(answers=answers)}})
    packed = packed_with(spec, project, str(EXAMPLE))
    assert packed.text.startswith("<!-- payments: wrapped by the example pack")
    assert render_markdown(packed.plan) in packed.text
    assert packed.text.endswith("approvals needed: 1\n")
    assert "PLAN.md" not in files_of(packed)
    assert "Merge after 1 approval." in files_of(packed)[REVIEW]


def test_answers_round_trip_through_spec_toml(spec: AnySpec) -> None:
    text = SPEC.read_text(encoding="utf-8") + (
        '\n[packs.example]\nsource = "packs/example@v2"\n\n'
        '[packs.example.answers]\nteam = "core"\napprovals = 3\n'
        'wrap_markdown = false\nlabels = ["a", "b"]\n'
    )
    parsed = parse_spec(text).spec
    use = parsed.packs["example"]
    assert use.source == "packs/example@v2"
    assert use.answers == {
        "team": "core",
        "approvals": 3,
        "wrap_markdown": False,
        "labels": ("a", "b"),
    }
    # Specs without packs keep their hash: the key is left out of dumps.
    assert "packs" not in spec.model_dump(mode="json")


def test_new_with_a_pack_writes_every_file_and_refuses_to_overwrite(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["new", "crud-resource", "--spec", str(SPEC), "--no-input"]
    argv += ["--project", str(project), "--pack", str(EXAMPLE)]
    assert main(argv) == 0
    plan_file = project / ".claude" / "docs" / "items-crud.md"
    assert capsys.readouterr().out.splitlines()[-1] == plan_file.as_posix()
    adr = (project / ADR).read_text(encoding="utf-8")
    assert (project / REVIEW).is_file()
    (project / ADR).write_text("edited\n", encoding="utf-8")
    assert main(argv) == 2
    assert "file exists" in capsys.readouterr().err
    assert (project / ADR).read_text(encoding="utf-8") == "edited\n"
    assert main([*argv, "--force"]) == 0
    assert (project / ADR).read_text(encoding="utf-8") == adr


def test_packs_named_in_the_project_config(spec: AnySpec, project: Path) -> None:
    shutil.copytree(EXAMPLE, project / "team-packs" / "example")
    build_tree(
        project, {"pyproject.toml": '[tool.planner]\npacks = ["team-packs/example"]\n'}
    )
    packed = packed_with(spec, project)
    assert sorted(files_of(packed)) == [REVIEW, ADR]
    assert packed.plan.provenance.packs[0].source == "team-packs/example"


def test_no_packs_is_plain_rendering(spec: AnySpec, project: Path) -> None:
    packed = packed_with(spec, project)
    assert packed.files == ()
    assert packed.text == render_markdown(packed.plan)
    assert packed.plan.provenance.packs == ()


def test_stale_files_and_write(spec: AnySpec, project: Path) -> None:
    packed = packed_with(spec, project, str(EXAMPLE))
    assert packed.stale_files(project) == (REVIEW, ADR)
    target = project / ".claude" / "docs" / "items-crud.md"
    packed.write(target, project=project, force=False)
    assert packed.stale_files(project) == ()
    with pytest.raises(OutputExistsError):
        packed.write(target, project=project, force=False)
    (project / ADR).write_text("old\n", encoding="utf-8")
    assert packed.stale_files(project) == (ADR,)


# Git repositories and tags


@pytest.fixture
def tagged_repo(tmp_path: Path) -> Path:
    """The example pack in a git repository: tag v1, then a change tagged v2."""
    repo = tmp_path / "pack-repo"
    shutil.copytree(EXAMPLE, repo)
    git(repo, "init", "--quiet")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "v1")
    git(repo, "tag", "v1")
    adr = repo / "template" / "docs" / "adr" / "{{ plan.name }}.md.jinja"
    adr.write_text(
        adr.read_text(encoding="utf-8").replace("# ADR:", "# ADR (v2):"),
        encoding="utf-8",
    )
    git(repo, "commit", "--quiet", "-am", "v2")
    git(repo, "tag", "v2")
    return repo


def test_git_tags_pick_the_version_and_pin_the_commit(
    spec: AnySpec, project: Path, tagged_repo: Path
) -> None:
    for tag, heading in (("v1", "# ADR: "), ("v2", "# ADR (v2): ")):
        packed = packed_with(spec, project, f"{tagged_repo}@{tag}")
        assert files_of(packed)[ADR].startswith(heading)
        (source,) = packed.plan.provenance.packs
        assert source.ref == tag
        assert source.commit == git(tagged_repo, "rev-parse", f"{tag}^{{commit}}")
        assert len(source.commit) == 40


def test_an_unknown_git_ref_is_refused(
    spec: AnySpec, project: Path, tagged_repo: Path
) -> None:
    with pytest.raises(PackError, match="'v9' is not in the pack's repository"):
        packed_with(spec, project, f"{tagged_repo}@v9")


def test_a_ref_on_a_plain_folder_is_refused(spec: AnySpec, project: Path) -> None:
    tiny_pack(project / "plain", META)
    with pytest.raises(PackError, match="is not a git repository"):
        packed_with(spec, project, f"{project / 'plain'}@v1")


@pytest.mark.parametrize(
    ("text", "source", "ref"),
    [
        (
            "https://github.com/acme/pack.git@v1",
            "https://github.com/acme/pack.git",
            "v1",
        ),
        ("https://github.com/acme/pack.git", "https://github.com/acme/pack.git", None),
        ("git@github.com:acme/pack.git", "git@github.com:acme/pack.git", None),
        ("git@github.com:acme/pack.git@v2.1", "git@github.com:acme/pack.git", "v2.1"),
        ("ssh://git@host/acme/pack", "ssh://git@host/acme/pack", None),
        ("gh:acme/pack@release/1", "gh:acme/pack", "release/1"),
        ("packs/example@v1", "packs/example", "v1"),
    ],
)
def test_pack_references_split_at_the_ref(
    text: str, source: str, ref: str | None
) -> None:
    parsed = parse_pack_ref(text, base=Path("/nonexistent"))
    assert (parsed.source, parsed.ref) == (source, ref)


# Safety: tasks, migrations and Jinja extensions need --trust


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("_tasks", '["echo ran > TASK.txt"]', "runs shell commands"),
        (
            "_migrations",
            '[{version: v2, command: "echo migrated"}]',
            "runs shell commands",
        ),
        ("_jinja_extensions", "[no_such_module.Extension]", "imports Python code"),
    ],
)
def test_unsafe_packs_are_refused_without_trust(
    spec: AnySpec, project: Path, key: str, value: str, why: str
) -> None:
    tiny_pack(project / "risky", f"{META}{key}: {value}\n")
    with pytest.raises(PackError) as caught:
        packed_with(spec, project, str(project / "risky"))
    assert f"uses {key} {why}" in caught.value.message
    assert caught.value.hint is not None and "--trust" in caught.value.hint
    assert not list(project.rglob("TASK.txt"))


def test_trusted_tasks_run_in_scratch_and_their_output_is_collected(
    spec: AnySpec, project: Path
) -> None:
    tiny_pack(project / "tasks", f'{META}_tasks: ["echo ran > TASK.txt"]\n')
    packed = packed_with(spec, project, str(project / "tasks"), trust=True)
    assert files_of(packed) == {
        "NOTE.md": "items-crud crud-resource\n",
        "TASK.txt": "ran\n",
    }
    assert not (project / "TASK.txt").exists()


def test_trust_refusal_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny_pack(project / "risky", f'{META}_tasks: ["true"]\n')
    argv = ["new", "crud-resource", "--spec", str(SPEC), "--no-input"]
    argv += ["--project", str(project), "--pack", str(project / "risky")]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "_tasks runs shell commands after rendering" in err
    assert "--trust" in err
    assert not (project / ".claude").exists()


# Fit: kinds and planner versions


def test_a_planner_version_mismatch_is_refused(spec: AnySpec, project: Path) -> None:
    tiny_pack(
        project / "future", '_planner: {kinds: [crud-resource], planner: ">=9"}\n'
    )
    with pytest.raises(PackError) as caught:
        packed_with(spec, project, str(project / "future"))
    assert caught.value.message == (
        f"pack 'future' needs planner >=9; this is planner {__version__}"
    )
    assert caught.value.hint is not None and "@TAG" in caught.value.hint


def test_a_kind_mismatch_is_refused(spec: AnySpec, project: Path) -> None:
    tiny_pack(project / "authonly", '_planner: {kinds: [auth], planner: ">=0.1"}\n')
    with pytest.raises(PackError, match="supports auth, not 'crud-resource'"):
        packed_with(spec, project, str(project / "authonly"))


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("", "no `_planner` table"),
        ('_planner: {kinds: [crud], planner: ">=0.1"}\n', "_planner.kinds.0"),
        ('_planner: {kinds: [auth], planner: "soon"}\n', "not a version range"),
        (META + "plan: {type: str, default: x}\n", "would hide the `plan`"),
    ],
)
def test_broken_manifests_are_refused(
    tmp_path: Path, config: str, message: str
) -> None:
    root = tiny_pack(tmp_path / "broken", config)
    with pytest.raises(PackError, match=message):
        manifest = read_manifest(root, fallback_name="broken", shown="broken")
        check_fit(manifest, kind="auth", version="0.1.0", trust=False, shown="b")


def test_copier_includes_are_followed_for_questions_and_risks(
    tmp_path: Path,
) -> None:
    root = build_tree(
        tmp_path / "split",
        {
            "copier.yml": f"{META}---\n!include parts/*.yml\n",
            "parts/questions.yml": "owner: {type: str, default: ops}\n",
            "parts/tasks.yml": '_tasks: ["true"]\n',
        },
    )
    manifest = read_manifest(root, fallback_name="split", shown="split")
    assert [q.name for q in manifest.questions] == ["owner"]
    assert manifest.unsafe == ("_tasks",)
    assert manifest.name == "split"


def test_a_folder_without_copier_yml_is_not_a_pack(
    spec: AnySpec, project: Path
) -> None:
    (project / "empty").mkdir()
    with pytest.raises(PackError, match=r"no copier\.yml"):
        packed_with(spec, project, str(project / "empty"))


# Questions and answers


QUESTIONS = META + (
    "owner: {type: str, help: Who owns it}\n"
    "size: {type: int, default: 3}\n"
    "tier: {type: str, choices: [gold, silver], default: silver}\n"
)


def test_a_question_without_default_needs_an_answer(
    spec: AnySpec, project: Path
) -> None:
    tiny_pack(project / "asks", QUESTIONS)
    with pytest.raises(PackError, match="asks 'owner', which has no default"):
        packed_with(spec, project, str(project / "asks"))
    answered = spec.model_copy(
        update={"packs": {"asks": PackUse(answers={"owner": "ops"})}}
    )
    assert files_of(packed_with(answered, project, str(project / "asks")))["NOTE.md"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"owner": "ops", "colour": "red"}, "asks no such question"),
        ({"owner": "ops", "size": "big"}, "'big' is not a int answer"),
        ({"owner": "ops", "size": True}, "True is not a int answer"),
        ({"owner": "ops", "tier": "bronze"}, "'bronze' is not a choice"),
    ],
)
def test_bad_answers_are_refused(
    spec: AnySpec, project: Path, answers: dict[str, Answer], message: str
) -> None:
    tiny_pack(project / "asks", QUESTIONS)
    bad = spec.model_copy(update={"packs": {"asks": PackUse(answers=answers)}})
    with pytest.raises(PackError, match=message):
        packed_with(bad, project, str(project / "asks"))


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def test_pack_questions_are_asked_and_recorded_in_the_spec(
    spec: AnySpec, project: Path, pipe: PipeInput
) -> None:
    spec_file = project / ".planner" / "specs" / "items-crud.toml"
    spec_file.parent.mkdir(parents=True)
    spec_file.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    pipe.send_text(
        BACKSPACE * 8 + "payments" + ENTER  # team
        + DOWN + ENTER  # adr_status: accepted
        + BACKSPACE + "3" + ENTER  # approvals
        + ENTER  # wrap_markdown: no
    )  # fmt: skip
    plan = make_plan(spec, request=prepare(spec, project=project))
    packed = apply_packs(
        spec,
        plan,
        project=project,
        fmt="markdown",
        extra=[str(EXAMPLE)],
        ask=True,
        input=pipe,
        output=DummyOutput(),
    )
    use = packed.spec.packs["example"]
    assert use.answers == {
        "team": "payments",
        "adr_status": "accepted",
        "approvals": 3,
        "wrap_markdown": False,
    }
    assert "- Status: accepted" in files_of(packed)[ADR]
    packed.write(project / "plan.md", project=project, force=False)
    saved = read_spec(spec_file).spec
    assert saved.packs == packed.spec.packs
    assert saved.packs["example"].source is not None
    # The saved spec reproduces the run without input.
    again = packed_with(saved, project)
    assert files_of(again) == files_of(packed)
    # `planner check` rebuilds from the saved spec: the plan must match it.
    assert again.text == packed.text
    assert again.plan.provenance.spec_sha256 == packed.plan.provenance.spec_sha256


def test_ask_answers_keeps_previous_answers_as_defaults(
    tmp_path: Path, pipe: PipeInput
) -> None:
    manifest = read_manifest(EXAMPLE, fallback_name="example", shown="example")
    pipe.send_text(ENTER * 4)
    answers = ask_answers(
        manifest,
        kind="crud-resource",
        previous={"team": "core", "approvals": 5},
        input=pipe,
        output=DummyOutput(),
    )
    assert answers == {
        "team": "core",
        "adr_status": "proposed",
        "approvals": 5,
        "wrap_markdown": False,
    }


# Determinism and the packs command


def test_pack_output_is_the_same_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        project = tmp_path / f"project-{seed}"
        project.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "planner", "new", "crud-resource", "--spec",
             str(SPEC), "--no-input", "--project", str(project), "--pack",
             str(EXAMPLE), "--format", "json"],
            cwd=ROOT, env=env, capture_output=True, check=True,
        )  # fmt: skip
        outputs.append(
            {
                path.relative_to(project).as_posix(): path.read_bytes()
                for path in sorted(project.rglob("*"))
                if path.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    assert {REVIEW, ADR, ".claude/docs/items-crud.json"} <= set(outputs[0])


def test_packs_list_and_show(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "list", "--project", str(project)]) == 0
    assert "no packs in use" in capsys.readouterr().out
    shutil.copytree(EXAMPLE, project / "packs" / "example")
    build_tree(
        project, {"pyproject.toml": '[tool.planner]\npacks = ["packs/example"]\n'}
    )
    assert main(["packs", "list", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("example  packs/example  (config)\n")
    assert "kinds: crud-resource, endpoint, auth, pagination; planner >=0.1,<1" in out
    assert "questions: team, adr_status, approvals, wrap_markdown" in out
    assert main(["packs", "show", "example", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "adr_status (str) Status of the architecture decision record; one of "
        'proposed, accepted; default "proposed"' in out
    )
    assert "answers go in the spec under [packs.example.answers]" in out
    assert main(["packs", "show", "nothing", "--project", str(project)]) == 2
    assert "no pack named 'nothing'" in capsys.readouterr().err
