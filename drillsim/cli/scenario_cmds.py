"""Commands about scenario files themselves: ``validate`` and ``schema``."""

from pathlib import Path
from typing import Annotated

import typer

from .app import app, console, err_console, escape
from .jsonout import dumps

__all__ = ["validate", "schema"]


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario or model file (YAML).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check a scenario file: schema, references, cycles and planning traps.

    Every finding names the file, the line and the path inside the document
    (systems[3].depends_on[1]). Exit status: 0 valid, 2 invalid.
    """
    from ..model import ScenarioError, Severity, load_scenario

    try:
        loaded = load_scenario(file)
    except ScenarioError as exc:
        if as_json:
            typer.echo(dumps({"valid": False, "findings": [d.as_dict() for d in exc.diagnostics], "more_errors": exc.omitted}, indent=2))
        else:
            for diag in exc.diagnostics:
                colour = "red" if diag.severity is Severity.error else "yellow"
                err_console.print(f"[{colour}]{escape(diag.format())}[/]", soft_wrap=True)
            if exc.omitted:
                err_console.print(f"[red]... and {exc.omitted:,} more error(s)[/]")
            err_console.print(f"[bold red]invalid:[/] {exc.error_count:,} error(s) in {escape(str(file))}")
        raise typer.Exit(2) from None
    scenario = loaded.scenario
    if as_json:
        typer.echo(
            dumps(
                {
                    "valid": not (strict and loaded.warnings),
                    "scenario": scenario.id,
                    "hash": loaded.hash,
                    "files": [str(f) for f in loaded.files],
                    "findings": [d.as_dict() for d in loaded.warnings],
                },
                indent=2,
            )
        )
    else:
        for diag in loaded.warnings:
            err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
        console.print(
            f"[green]valid:[/] {escape(scenario.label)}: {len(scenario.systems)} systems, {len(scenario.domains)} domains, "
            f"{len(scenario.teams)} teams, {len(scenario.injects)} injects"
            + (f", {len(loaded.warnings)} warning(s)" if loaded.warnings else "")
        )
    if strict and loaded.warnings:
        raise typer.Exit(2)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Print the JSON Schema of scenario files, for editor autocompletion.

    With VS Code's YAML extension, put '# yaml-language-server: $schema=drillsim.schema.json'
    at the top of a scenario file.
    """
    from ..model.scenario import Scenario

    document = Scenario.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "drillsim scenario"
    text = dumps(document, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        err_console.print(f"wrote {escape(str(out))}")
