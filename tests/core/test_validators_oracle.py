"""#24.11: the validators checked against oracles that do not come from the code under test.

- python-stdnum (a test-only dependency): `stdnum.cn.ric` computes the ID check digit with its own
  formula ((1 - 2 * int(first17, 13)) % 11, not a table of weights) and `stdnum.cn.uscc` the credit code's;
- numbers published with their check characters: GB 11643's example ID number, and the credit codes of
  well-known companies as printed on their licences (each also passes stdnum);
- the GB 11714 organisation code, which stdnum does not cover: the codes embedded in those real credit
  codes (positions 9-17), issued under GB 11714, so their 9th character is the standard's check.

Thousands of generated numbers, each with every possible check character, valid and invalid alike.
Change one weight in wangge/core/validators.py and these tests fail.
"""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from wangge.core.validators import (
    CREDIT_ALPHABET,
    credit_code_check_character,
    id_check_character,
    organisation_code_check_character,
    validate_credit_code,
    validate_id_number,
    validate_organisation_code,
)

GENERATED = 3000
# Areas that stdnum's table knows for every birth year from 1890 on (its ric.is_valid checks the place too).
AREAS = ("310101", "310105", "110101", "110105")
ID_CHECKS = "0123456789X"
IMPOSSIBLE_DATES = ("19990230", "20010229", "19991301", "19990100", "19800431", "19000229")
# Real credit codes as published (business licences, annual reports). Each passes stdnum.cn.uscc.
PUBLISHED_CREDIT_CODES = (
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91440300708461136T",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "9144030071526726XG",  # Tencent Technology (Shenzhen) Co., Ltd.
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
    "91110000710925243K",  # China Mobile Communications Group Co., Ltd.
    "911000001000013428",  # Bank of China Limited
    "91100000100003962T",  # Industrial and Commercial Bank of China Limited
    "91110000710925462X",  # PetroChina Company Limited
    "91350100M000100Y43",  # the example printed in explanations of GB 32100
)


def accepts(validate, value: str) -> bool:
    try:
        validate(value)
    except ValidationError:
        return False
    return True


def random_date(rng: random.Random) -> str:
    """A birth date as 8 digits: mostly real dates from 1890 to yesterday, some impossible ones."""
    if rng.random() < 0.05:
        return rng.choice(IMPOSSIBLE_DATES)
    start, end = datetime.date(1890, 1, 1), timezone.localdate() - datetime.timedelta(days=1)
    return (start + datetime.timedelta(days=rng.randrange((end - start).days + 1))).strftime("%Y%m%d")


def test_published_id_number():
    # GB 11643-1999's own example; stdnum agrees.
    assert ric.is_valid("11010519491231002X")
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    assert id_check_character("11010519491231002") == "X"
    for wrong in "0123456789":
        assert not accepts(validate_id_number, "11010519491231002" + wrong)


def stdnum_accepts_id(number: str) -> bool:
    """stdnum's verdict on the check digit and the birth date (not the birth place: our validator does
    not check the area code, so the generated numbers use any six digits there)."""
    try:
        ric.get_birth_date(number)
    except StdnumError:
        return False
    return ric.calc_check_digit(number) == number[-1]


def test_id_numbers_agree_with_stdnum():
    rng = random.Random(2411)
    valid = invalid = 0
    for _ in range(GENERATED):
        body = f"{rng.randrange(110000, 1000000)}{random_date(rng)}{rng.randrange(1000):03d}"
        for check in ID_CHECKS:
            number = body + check
            expected = stdnum_accepts_id(number)
            assert accepts(validate_id_number, number) == expected, number
            valid += expected
            invalid += not expected
        if body[6:14] not in IMPOSSIBLE_DATES:
            assert id_check_character(body) == ric.calc_check_digit(body + "0")
    assert valid > GENERATED * 0.9 and invalid > GENERATED * 9  # both kinds were really tried


def test_id_numbers_of_known_places_agree_with_stdnum_in_full():
    # Where stdnum knows the area for every year, its whole verdict (place included) is the oracle.
    rng = random.Random(2415)
    for _ in range(GENERATED // 3):
        body = f"{rng.choice(AREAS)}{random_date(rng)}{rng.randrange(1000):03d}"
        for check in ID_CHECKS:
            assert accepts(validate_id_number, body + check) == ric.is_valid(body + check), body + check


def test_published_credit_codes_agree_with_stdnum():
    for code in PUBLISHED_CREDIT_CODES:
        assert uscc.is_valid(code), code
        assert validate_credit_code(code) == code
        assert credit_code_check_character(code[:17]) == code[17]
        for wrong in CREDIT_ALPHABET.replace(code[17], ""):
            assert not accepts(validate_credit_code, code[:17] + wrong), code[:17] + wrong


def test_credit_codes_agree_with_stdnum():
    rng = random.Random(2412)
    valid = 0
    for _ in range(GENERATED):
        # stdnum's format: the registration authority, type and area (8 digits), then 9 characters.
        body = "".join(rng.choices("0123456789", k=8)) + "".join(rng.choices(CREDIT_ALPHABET, k=9))
        for check in CREDIT_ALPHABET:
            code = body + check
            expected = uscc.is_valid(code)
            assert accepts(validate_credit_code, code) == expected, code
            valid += expected
    assert valid == GENERATED  # exactly one check character of the 31 is right for each body


def test_credit_code_check_character_agrees_with_stdnum_for_letter_prefixes():
    # GB 32100 also allows letters in the first two places (stdnum's validate does not); its check formula does.
    rng = random.Random(2413)
    for _ in range(GENERATED):
        body = "".join(rng.choices(CREDIT_ALPHABET, k=17))
        assert credit_code_check_character(body) == uscc.calc_check_digit(body), body


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES[:-1])  # the GB 32100 teaching example is not a real firm
def test_organisation_codes_embedded_in_published_credit_codes(code):
    organisation = code[8:17]
    assert organisation_code_check_character(organisation[:8]) == organisation[8]
    assert validate_organisation_code(organisation) == organisation
    assert validate_organisation_code(f"{organisation[:8]}-{organisation[8]}") == organisation
    for wrong in ID_CHECKS.replace(organisation[8], ""):
        assert not accepts(validate_organisation_code, organisation[:8] + wrong)


def test_organisation_codes_agree_with_the_published_weights():
    # GB 11714-1997: weights 3 7 9 10 5 8 4 2; check = 11 - (sum mod 11), 10 written X, 11 written 0;
    # letters count A=10 ... Z=35. Worked example: 71526726 -> 21+7+45+20+30+56+8+12 = 199,
    # 199 mod 11 = 1, 11 - 1 = 10 -> X (Tencent Technology's 71526726-X).
    assert organisation_code_check_character("71526726") == "X"
    rng = random.Random(2414)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(GENERATED):
        body = "".join(rng.choices(alphabet, k=8))
        total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
        expected = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
        for check in ID_CHECKS:
            assert accepts(validate_organisation_code, body + check) == (check == expected), body + check
