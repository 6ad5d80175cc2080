"""`python -m codegen <command>`: materialize the pinned spec, generate the SDK, report on naming, compare two
documents' APIs, move the pin to another document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.changes import render_report
from codegen.generate import OUTPUT, OVERRIDES, build_api, generate
from codegen.load import load_spec
from codegen.models import GenerationError
from codegen.oracle import compare
from codegen.pin import PinError, materialize, materialize_references, reference_path
from codegen.services import final_names, read_overrides
from codegen.update import update_spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("spec", help="materialize the pinned spec and the reference documents into build/")
    gen = commands.add_parser("generate", help="generate the SDK into generated/")
    gen.add_argument("--spec", type=Path, help="an OpenAPI document (default: the pinned one)")
    gen.add_argument("--out", type=Path, default=OUTPUT)
    naming = commands.add_parser("naming", help="compare our names with Stripe's x-stripeOperations")
    naming.add_argument("--sdk-spec", type=Path, help="default: the `sdk` reference document")
    naming.add_argument("--spec", type=Path)
    changes = commands.add_parser("changes", help="the API change report (markdown) between two OpenAPI documents")
    changes.add_argument("old", type=Path)
    changes.add_argument("new", type=Path)
    changes.add_argument("--out", type=Path, help="write the report here (default: print it)")
    update = commands.add_parser(
        "update-spec", help="pin another document (a file or a commit), regenerate, write the change report"
    )
    update.add_argument("source", help="a local OpenAPI document, or a 40-hex commit of the pinned repository")
    update.add_argument("--commit", help="the commit a local document comes from (recorded in the pin)")
    update.add_argument("--report", type=Path, help="default: build/api-changes-<old>-to-<new>.md")
    args = parser.parse_args(argv)
    try:
        if args.command == "spec":
            print(materialize())
            for path in materialize_references().values():
                print(path)
        elif args.command == "generate":
            print(generate(args.spec or materialize(), args.out))
        elif args.command == "naming":
            names = final_names(load_spec(args.spec or materialize()), read_overrides(OVERRIDES))
            if args.sdk_spec is None:
                materialize_references()
            agreement = compare(names, load_spec(args.sdk_spec or reference_path("sdk")))
            for mismatch in agreement.mismatches:
                print(mismatch)
            print(f"{agreement.agreed}/{agreement.compared} operations named as Stripe does ({agreement.ratio:.1%})")
        elif args.command == "changes":
            report = render_report(build_api(load_spec(args.old)), build_api(load_spec(args.new)))
            if args.out is None:
                print(report, end="")
            else:
                args.out.write_text(report)
                print(args.out)
        elif args.command == "update-spec":
            print(update_spec(args.source, commit=args.commit or None, report=args.report))
    except (PinError, GenerationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
