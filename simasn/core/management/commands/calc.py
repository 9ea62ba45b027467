import json
import sys

from django.core.management.base import BaseCommand

from simasn.core import calc


class Command(BaseCommand):
    help = "Run a regulation calculator: manage.py calc <name> '<json>'. Prints one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("payload", nargs="?", default=None, help="JSON object; '-' or absent reads stdin")

    def handle(self, *args, name: str, payload: str | None, **options):
        raw = sys.stdin.read() if payload in (None, "-") else payload
        try:
            data = json.loads(raw)
            result = calc.run(name, data)
        except (json.JSONDecodeError, calc.CalcInputError) as exc:
            message = f"JSON tidak valid: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
            sys.exit(2)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
