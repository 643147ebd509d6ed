"""Findings as plain lines, JSON, GitHub workflow annotations and SARIF 2.1.0."""

from __future__ import annotations

import json
from urllib.parse import quote

from plancycle import __version__
from plancycle.check.finding import Finding
from plancycle.check.rules import RULES

FORMATS = ("table", "plain", "json", "github", "sarif")
INFORMATION_URI = "https://github.com/plancycle/plancycle"


def plain(findings: list[Finding]) -> str:
    """`path:line: severity PC001 name: message`, one per line, as compilers print."""
    return "".join(f"{f.where}: {f.severity} {f.rule.id} {f.rule.name}: {f.message}\n" for f in findings)


def as_json(findings: list[Finding], documents: int) -> str:
    data = {
        "findings": [f.as_json() for f in findings],
        "summary": {
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "documents": documents,
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding]) -> str:
    """Workflow commands: `::error file=…,line=…,title=PC001 …::message` (escaped as the
    runner expects: `%`, CR and LF in the message; also `:` and `,` in properties)."""
    lines = []
    for f in findings:
        props = [f"file={_property(f.path)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_property(f'{f.rule.id} {f.rule.name}')}")
        lines.append(f"::{f.severity} {','.join(props)}::{_data(f.message)}\n")
    return "".join(lines)


def sarif(findings: list[Finding]) -> str:
    """A SARIF 2.1.0 log: one run, every rule described, a result per finding with its
    file (relative to the checkout, `%SRCROOT%`) and line."""
    index = {rule.id: i for i, rule in enumerate(RULES)}
    results = []
    for f in findings:
        location: dict[str, object] = {"artifactLocation": {"uri": quote(f.path), "uriBaseId": "SRCROOT"}}
        if f.line:
            location["region"] = {"startLine": f.line}
        results.append(
            {
                "ruleId": f.rule.id,
                "ruleIndex": index[f.rule.id],
                "level": f.severity,
                "message": {"text": f.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "plancycle",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            {
                                "id": rule.id,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {"level": rule.severity},
                            }
                            for rule in RULES
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
