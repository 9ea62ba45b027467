"""Places of the Kota Kendari demo: kecamatan with their kelurahan, UPTD, streets and birth places.

The 11 kecamatan and 65 kelurahan are the real ones. Office coordinates are approximate (good enough for a
demo geofence, not for a survey); every location and radius is editable in the app. `kode` is the
two-digit kecamatan part of the Kemendagri area code 74.71.xx used inside demo NIKs *(verify before reuse)*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KOTA_KODE = "7471"  # Kota Kendari in the Kemendagri area code (74 Sulawesi Tenggara, 71 Kota Kendari)
CITY_CENTRE = (-3.99, 122.51)
BALAI_KOTA = (-3.9705, 122.5150)


@dataclass(frozen=True)
class Kecamatan:
    code: str  # unit-code segment, kept short so "KDI.KEC.<code>.<kelurahan>" fits in 30 characters
    name: str
    kode: str
    lat: float
    lon: float
    kelurahan: tuple[str, ...]


KECAMATAN: tuple[Kecamatan, ...] = (
    Kecamatan("KENDARI", "Kendari", "03", -3.9685, 122.5930, (
        "Gunung Jati", "Jati Mekar", "Kampung Salo", "Kandai", "Kasilampe", "Kendari Caddi", "Mangga Dua",
        "Mata", "Purirano",
    )),
    Kecamatan("KDBARAT", "Kendari Barat", "05", -3.9725, 122.5680, (
        "Benu-Benua", "Dapu-Dapura", "Kemaraya", "Lahundape", "Punggaloba", "Sanua", "Sodohoa", "Tipulu",
        "Watu-Watu",
    )),
    Kecamatan("MANDONGA", "Mandonga", "01", -3.9650, 122.5190, (
        "Alolama", "Anggilowu", "Korumba", "Labibia", "Mandonga", "Wawowanggu",
    )),
    Kecamatan("PUUWATU", "Puuwatu", "09", -3.9570, 122.4890, (
        "Abeli Dalam", "Lalodati", "Punggolaka", "Puunggaloba", "Puuwatu", "Tobuuha",
    )),
    Kecamatan("KADIA", "Kadia", "08", -3.9850, 122.5225, (
        "Anaiwoi", "Bende", "Kadia", "Pondambea", "Wowawanggu",
    )),
    Kecamatan("WUAWUA", "Wua-Wua", "07", -3.9950, 122.5070, (
        "Anawai", "Bonggoeya", "Mataiwoi", "Wua-Wua",
    )),
    Kecamatan("BARUGA", "Baruga", "04", -4.0340, 122.4960, (
        "Baruga", "Lepo-Lepo", "Watubangga", "Wundumbatu",
    )),
    Kecamatan("KAMBU", "Kambu", "10", -4.0120, 122.5270, (
        "Kambu", "Lalolara", "Mokoau", "Padaleu",
    )),
    Kecamatan("POASIA", "Poasia", "02", -4.0060, 122.5480, (
        "Anduonohu", "Anggoeya", "Matabubu", "Rahandouna",
    )),
    Kecamatan("ABELI", "Abeli", "06", -3.9960, 122.6040, (
        "Abeli", "Anggalomelai", "Benua Nirae", "Lapulu", "Poasia", "Pudai", "Talia", "Tobimeita",
    )),
    Kecamatan("NAMBO", "Nambo", "11", -4.0170, 122.6270, (
        "Bungkutoko", "Lalowaru", "Nambo", "Petoaha", "Sambuli", "Tondonggeu",
    )),
)
KECAMATAN_BY_CODE = {k.code: k for k in KECAMATAN}

# UPTD Puskesmas of Dinas Kesehatan, each placed in the kecamatan it serves.
PUSKESMAS: tuple[tuple[str, str], ...] = (
    ("Abeli", "ABELI"), ("Benu-Benua", "KDBARAT"), ("Jati Raya", "POASIA"), ("Kandai", "KENDARI"),
    ("Kemaraya", "KDBARAT"), ("Labibia", "MANDONGA"), ("Lepo-Lepo", "BARUGA"), ("Mata", "KENDARI"),
    ("Mekar", "KADIA"), ("Mokoau", "KAMBU"), ("Nambo", "NAMBO"), ("Perumnas", "WUAWUA"), ("Poasia", "POASIA"),
    ("Puuwatu", "PUUWATU"), ("Wua-Wua", "WUAWUA"),
)

# Public schools under Dinas Pendidikan (a sample: the city has many more).
SCHOOLS_SD = 12
SCHOOLS_SMP = 6

STREETS: tuple[str, ...] = (
    "Ahmad Yani", "MT Haryono", "Saranani", "Sao-Sao", "Edi Sabara", "Malaka", "Bunggasi", "Brigjen Z.A. Sugianto",
    "Chairil Anwar", "Kapten Piere Tendean", "H.E.A. Mokodompit", "Drs. H. Abdullah Silondae", "Budi Utomo",
    "Syech Yusuf", "Laute", "Madusila", "Lasolo", "Abunawas", "Tebau Nunggu", "Jenderal Sudirman", "Diponegoro",
    "Sam Ratulangi", "Martandu", "Orinunggu", "Pasaeno", "Supu Yusuf", "Poros Bandara", "Wayong", "Mayjen S. Parman",
    "La Ode Hadi", "Kijang", "Haluoleo", "Kancil", "Lakidende", "Mekar", "Beringin", "Rambutan", "Jambu",
)

BIRTH_PLACES: tuple[tuple[str, int], ...] = (
    ("Kendari", 40), ("Raha", 6), ("Baubau", 6), ("Kolaka", 5), ("Unaaha", 6), ("Makassar", 6), ("Andoolo", 3),
    ("Pasarwajo", 2), ("Wangi-Wangi", 2), ("Rumbia", 2), ("Lasusua", 1), ("Bone", 2), ("Palopo", 2),
    ("Ambon", 1), ("Jakarta", 1), ("Surabaya", 1), ("Manado", 1), ("Ereke", 1), ("Wanci", 1), ("Konawe", 3),
)

PHONE_PREFIXES: tuple[str, ...] = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0851", "0877", "0878", "0895", "0896", "0857",
)


def spread(centre: tuple[float, float], index: int, step_deg: float = 0.0045) -> tuple[float, float]:
    """A point near `centre`, the `index`-th of a sunflower spiral: offices of one area spread evenly
    (about half a kilometre apart) without a random generator, so coordinates never change between seeds."""
    if index == 0:
        return centre
    angle = index * 2.399963  # the golden angle, in radians
    radius = step_deg * math.sqrt(index)
    return (round(centre[0] + radius * math.sin(angle), 6), round(centre[1] + radius * math.cos(angle), 6))
