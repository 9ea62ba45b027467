"""One synthetic ASN: identity (name, NIP/NI PPPK, NIK), education and a career consistent with the rules.

Every NIP made here parses as valid (employees.nip): birth date and sex are those of the record, TMT CPNS
is at age ≥ 18 and not in the future. Golongan follow the promotion path from the entry golongan of the
education level, with at least three years per step, so a IV/c Kepala Dinas has the service behind it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from simasn.employees.retirement import retirement_date
from simasn.employees.rules_data import GOLONGAN_BY_CODE, GOLONGAN_PNS, GOLONGAN_PPPK

from .data_people import (
    DISCIPLINES,
    GENERAL_DISCIPLINES,
    INSTITUTIONS,
    MAX_ENTRY_AGE,
    MIN_ENTRY_AGE,
    PPPK_APPOINTMENT,
    PPPK_CONTRACT_CODE,
    PPPK_GOLONGAN_BY_EDUCATION,
    PPPK_MIN_GOLONGAN_BY_LEVEL,
    PROFILES,
    SPECIAL_INSTITUTION,
    SPECIALIST_TITLES,
    START_GOLONGAN,
)
from .data_places import BIRTH_PLACES, KECAMATAN, KOTA_KODE, PHONE_PREFIXES, STREETS
from .org_builder import PositionSpec

TMT_MONTHS = (1, 1, 3, 3, 4, 6, 10, 12, 12)  # recruitment cohorts cluster on a few months
PROMOTION_MONTHS = (4, 10)  # kenaikan pangkat periods: 1 April and 1 October
YEARS_PER_STEP = 3
_BIRTH_PLACE_NAMES = [p for p, _ in BIRTH_PLACES]
_BIRTH_PLACE_WEIGHTS = [w for _, w in BIRTH_PLACES]


@dataclass
class Person:
    kind: str
    nip: str
    name: str
    front_title: str
    back_title: str
    sex: str
    birth_date: dt.date
    birth_place: str
    nik: str
    education: str
    golongan: str
    tmt_cpns: dt.date | None
    tmt_pns: dt.date | None
    tmt_golongan: dt.date
    tmt_jabatan: dt.date
    retirement: dt.date
    address: str
    phone: str
    status: str = "aktif"
    ranks: list[tuple[str, dt.date]] = field(default_factory=list)
    jobs: list[tuple[str, str, dt.date, PositionSpec | None]] = field(default_factory=list)
    schools: list[tuple[str, str, str, int]] = field(default_factory=list)  # level, institution, major, year

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo if hi <= lo else lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def _rank(code: str) -> int:
    return GOLONGAN_BY_CODE[code].rank_order


def _pns_code(rank: int) -> str:
    return GOLONGAN_PNS[max(1, min(rank, len(GOLONGAN_PNS))) - 1].code


class PersonFactory:
    """Makes people for positions; holds the seeded generators and the counters that keep NIP/NIK unique."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.today = today
        self._nip_seq: dict[str, int] = {}
        self._nik_seq: dict[str, int] = {}
        self._sk_seq: dict[tuple[str, int], int] = {}
        self.pppk_cohorts = [c for c in PPPK_APPOINTMENT if dt.date(c[0], c[1], 1) <= today]

    # identity -----------------------------------------------------------------------------------------------
    def _name(self, sex: str) -> str:
        fake, roll = self.fake, self.rng.random()
        if sex == "L":
            first, last = fake.first_name_male(), fake.last_name_male()
        else:
            first, last = fake.first_name_female(), fake.last_name_female()
        prefix = ""
        if roll < 0.06:
            prefix = "La Ode " if sex == "L" else "Wa Ode "  # Muna and Buton
        elif roll < 0.11:
            prefix = "Andi "  # Bugis
        return f"{prefix}{first}" if self.rng.random() < 0.12 else f"{prefix}{first} {last}"

    def _titles(self, discipline: str, education: str, age: int, sex: str, specialist: bool) -> tuple[str, str, str]:
        """(front title, back title, discipline actually used) for a degree in `discipline`."""
        rng = self.rng
        if discipline == "umum":
            discipline = rng.choice(GENERAL_DISCIPLINES)
        d = DISCIPLINES[discipline]
        front: list[str] = []
        back: list[str] = []
        if education == "D3":
            back.append(d.d3 or "A.Md.")
        elif education in ("D4", "S1", "S2", "S3"):
            if d.front:
                front.append(d.front)
            elif d.s1:
                back.append(d.s1)
            if education in ("S2", "S3"):
                back.append(rng.choice(SPECIALIST_TITLES) if specialist else d.s2)
            if education == "S3":
                front.insert(0, "Dr.")
            if discipline == "teknik" and rng.random() < 0.25:
                front.insert(0, "Ir.")
        if age >= 45 and rng.random() < 0.1:
            front.insert(0, "H." if sex == "L" else "Hj.")
        return " ".join(front), ", ".join(back), discipline

    def _nip(self, born: dt.date, middle: str, sex: str) -> str:
        head = f"{born:%Y%m%d}{middle}{'1' if sex == 'L' else '2'}"
        seq = self._nip_seq.get(head, 0) + 1
        self._nip_seq[head] = seq
        return f"{head}{seq:03d}"

    def _nik(self, kec_kode: str, born: dt.date, sex: str) -> str:
        day = born.day + (40 if sex == "P" else 0)
        head = f"{KOTA_KODE}{kec_kode}{day:02d}{born:%m%y}"
        seq = self._nik_seq.get(head, 0) + 1
        self._nik_seq[head] = seq
        return f"{head}{seq:04d}"

    def sk_number(self, prefix: str, day: dt.date) -> str:
        key = (prefix, day.year)
        self._sk_seq[key] = self._sk_seq.get(key, 0) + 1
        return f"{prefix}/{self._sk_seq[key]:04d}/BKPSDM/{day.year}"

    def _address(self) -> tuple[str, str]:
        rng = self.rng
        kec = rng.choice(KECAMATAN)
        kel = rng.choice(kec.kelurahan)
        street = f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 150)}"
        return kec.kode, f"{street}, Kel. {kel}, Kec. {kec.name}, Kota Kendari"

    def _birth(self, profile_key: str, position: PositionSpec, cpns: bool) -> dt.date:
        lo, hi = PROFILES[profile_key].ages
        if cpns:  # the CPNS age limit applies to people appointed in the last year and a half
            hi = max(lo, min(hi, MAX_ENTRY_AGE + 1))
        age = self.rng.randint(lo, hi)
        born = dt.date(self.today.year - age - 1, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        # Nobody in the demo is past retirement (BUP): move the birth date until the pension lies ahead.
        while retirement_date(born, position.jabatan_type, position.jf_level) <= add_months(self.today, 2):
            born = add_years(born, 1)
        return born

    # careers ------------------------------------------------------------------------------------------------
    def _pns_career(self, profile_key: str, education: str, born: dt.date, cpns: bool) -> tuple[dt.date, list]:
        """TMT CPNS and the golongan steps [(golongan, tmt), ...] for a PNS (or a CPNS: one step)."""
        rng, today = self.rng, self.today
        start = START_GOLONGAN[education]
        min_age = MIN_ENTRY_AGE[education]
        if cpns:
            tmt = add_months(today, -rng.randint(2, 18))
            if age_on(born, tmt) < min_age:  # too young for this entry level: enter as late as the rules allow
                tmt = min(add_months(add_years(born, min_age), 1), add_months(today, -1))
            return tmt, [(start, tmt)]
        age_now = age_on(born, today)
        candidates = [g for g in PROFILES[profile_key].golongan if _rank(g) >= _rank(start)] or [start]
        target = _rank(rng.choice(candidates))
        while True:
            steps = target - _rank(start)
            latest = min(MAX_ENTRY_AGE, age_now - 2 - steps * YEARS_PER_STEP)
            if latest >= min_age or steps == 0:
                break
            target -= 1
        entry_age = rng.randint(min_age, max(min_age, latest))
        tmt = dt.date(born.year + entry_age, rng.choice(TMT_MONTHS), 1)
        while age_on(born, tmt) < max(18, min_age):
            tmt = add_years(tmt, 1)
        latest_tmt = add_months(today, -14)
        tmt = min(tmt, dt.date(latest_tmt.year, latest_tmt.month, 1))
        ranks = [(start, tmt)]
        if steps:
            years = max(1.0, (today - tmt).days / 365.25 - 1)
            gap = min(4.0, years / steps)
            for k in range(1, steps + 1):
                when = dt.date(tmt.year + max(1, round(k * gap)), rng.choice(PROMOTION_MONTHS), 1)
                when = max(when, add_months(ranks[-1][1], 12))
                ranks.append((_pns_code(_rank(start) + k), min(when, add_months(today, -1))))
        return tmt, ranks

    def _pppk_career(self, position: PositionSpec, education: str, born: dt.date) -> tuple[dt.date, str]:
        cohorts = [c for c in self.pppk_cohorts if 18 <= c[0] - born.year <= 58] or self.pppk_cohorts[-1:]
        year, month = self.rng.choice(cohorts)
        rank = max(_rank(PPPK_GOLONGAN_BY_EDUCATION[education]),
                   _rank(PPPK_MIN_GOLONGAN_BY_LEVEL.get(position.jf_level, "I")))
        return dt.date(year, month, 1), GOLONGAN_PPPK[min(rank, len(GOLONGAN_PPPK)) - 1].code

    def _education(self, profile_key: str, discipline: str) -> str:
        options = PROFILES[profile_key].education
        education = self.rng.choices([e for e, _ in options], [w for _, w in options])[0]
        if discipline in ("kedokteran", "kedokteran_gigi") and education == "D4":
            education = "S1"
        return education

    def _schools(self, education: str, discipline: str, born: dt.date) -> list[tuple[str, str, str, int]]:
        rng, major = self.rng, DISCIPLINES[discipline].major
        out: list[tuple[str, str, str, int]] = []
        if education == "SMA":
            return [("SMA", rng.choice(INSTITUTIONS["SMA"]), "", born.year + 18)]
        if education in ("S2", "S3"):
            out.append(("S1", SPECIAL_INSTITUTION.get(discipline) or rng.choice(INSTITUTIONS["S1"]), major,
                        born.year + 23))
        years = {"D3": 21, "D4": 22, "S1": 23, "S2": rng.randint(29, 40), "S3": rng.randint(38, 48)}[education]
        institution = (SPECIAL_INSTITUTION.get(discipline) if education in ("S1", "D4") else None) or rng.choice(
            INSTITUTIONS[education])
        out.append((education, institution, major, min(born.year + years, self.today.year - 1)))
        return out

    def make(self, position: PositionSpec, kind: str) -> Person:
        rng, today = self.rng, self.today
        profile_key = position.profile
        sex = "P" if rng.random() < position.female_share else "L"
        born = self._birth(profile_key, position, cpns=kind == "CPNS")
        education = self._education(profile_key, position.discipline)
        specialist = position.family == "Dokter" and position.jf_level == "ahli_madya" and education == "S2"
        front, back, discipline = self._titles(position.discipline, education, age_on(born, today), sex, specialist)
        kec_kode, address = self._address()
        if kind == "PPPK":
            tmt_cpns = tmt_pns = None
            appointed, golongan = self._pppk_career(position, education, born)
            nip = self._nip(born, f"{appointed.year:04d}{PPPK_CONTRACT_CODE}", sex)
            ranks = [(golongan, appointed)]
            tmt_jabatan = appointed
        else:
            tmt_cpns, ranks = self._pns_career(profile_key, education, born, cpns=kind == "CPNS")
            tmt_pns = None if kind == "CPNS" else add_months(tmt_cpns, 12)
            golongan = ranks[-1][0]
            nip = self._nip(born, f"{tmt_cpns:%Y%m}", sex)
            earliest = tmt_pns or tmt_cpns
            if position.fill == "one":
                earliest = max(earliest, add_years(today, -6))
            tmt_jabatan = tmt_cpns if kind == "CPNS" else random_date(rng, earliest, add_months(today, -1))
        status = "aktif"
        if kind == "PNS" and position.fill != "one":
            roll = rng.random()
            status = "tugas_belajar" if roll < 0.005 else ("cltn" if roll < 0.007 else "aktif")
        return Person(
            kind=kind, nip=nip, name=self._name(sex), front_title=front, back_title=back, sex=sex, birth_date=born,
            birth_place=rng.choices(_BIRTH_PLACE_NAMES, _BIRTH_PLACE_WEIGHTS)[0],
            nik=self._nik(kec_kode, born, sex), education=education, golongan=golongan, tmt_cpns=tmt_cpns,
            tmt_pns=tmt_pns, tmt_golongan=ranks[-1][1], tmt_jabatan=tmt_jabatan,
            retirement=retirement_date(born, position.jabatan_type, position.jf_level), address=address,
            phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7, 10**8)}", status=status, ranks=ranks,
            schools=self._schools(education, discipline, born),
        )
