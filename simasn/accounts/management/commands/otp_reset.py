"""`manage.py otp_reset <NIP>`: remove an admin's TOTP devices (lost phone) so the next login enrols again."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from simasn.accounts.models import User
from simasn.accounts.otp import otp_reset


class Command(BaseCommand):
    help = "Hapus perangkat OTP (TOTP) seorang pengguna; saat masuk berikutnya ia mendaftar ulang."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="NIP / nama pengguna")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username} tidak ditemukan.")
        count = otp_reset(actor="manage.py otp_reset", user=user)
        self.stdout.write(f"{count} perangkat OTP dihapus untuk {user.username}.")
