"""Chinese identifiers, phone numbers and addresses (wangge.core.validators). No database needed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.core.validators import (
    CREDIT_ALPHABET,
    ID_CHECK,
    Address,
    credit_code_check_character,
    id_check_character,
    normalise,
    parse_address,
    validate_credit_code,
    validate_id_number,
    validate_landline,
    validate_mobile,
    validate_phone,
)

AREAS = ("310105", "310103", "310108", "310101", "310115", "110101", "440305")
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


def full_width(value: str) -> str:
    return "".join(FULL_WIDTH.get(c, c) for c in value)


def refused(validate, value: str) -> ValidationError:
    """Run validate, insist it refuses, and that no message echoes the value."""
    with pytest.raises(ValidationError) as info:
        validate(value)
    if len(normalise(value)) >= 6:  # shorter values ("", "021") may legitimately appear in a message
        for message in info.value.messages:
            assert normalise(value) not in message
            assert value not in message
    return info.value


id_bodies = st.builds(
    lambda area, born, seq: f"{area}{born:%Y%m%d}{seq:03d}",
    st.sampled_from(AREAS),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    st.integers(0, 999),
)
credit_bodies = st.text(alphabet=CREDIT_ALPHABET, min_size=17, max_size=17)


def with_id_check(first17: str) -> str:
    return first17 + id_check_character(first17)


def with_credit_check(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


# --- resident ID numbers (GB 11643) ---------------------------------------------------------------

@settings(deadline=None)
@given(id_bodies)
def test_id_with_computed_check_validates(first17):
    number = with_id_check(first17)
    assert validate_id_number(number) == number


@settings(deadline=None)
@given(id_bodies)
def test_id_with_any_other_check_fails(first17):
    right = id_check_character(first17)
    for wrong in ID_CHECK.replace(right, ""):
        assert refused(validate_id_number, first17 + wrong).code == "id_check"


@settings(deadline=None)
@given(id_bodies, st.booleans(), st.booleans())
def test_id_lower_case_full_width_and_spaces_are_normalised(first17, wide, spaced):
    number = with_id_check(first17)
    typed = number.lower()
    if wide:
        typed = full_width(typed)
    if spaced:
        typed = f" {typed[:6]} {typed[6:14]}\u3000{typed[14:]}\t"
    assert validate_id_number(typed) == number


def first17_with_check_x() -> str:
    return next(body for seq in range(1000) if id_check_character(body := f"31010519800101{seq:03d}") == "X")


def test_id_lower_case_x_is_accepted_and_returned_upper_case():
    number = with_id_check(first17_with_check_x())
    assert number.endswith("X")
    assert validate_id_number(number.lower()) == number
    assert validate_id_number(full_width(number.lower())) == number


def test_id_future_birth_date_refused():
    born = datetime.date(timezone.localdate().year + 1, 1, 1)
    assert refused(validate_id_number, with_id_check(f"310105{born:%Y%m%d}123")).code == "id_birth"


@pytest.mark.parametrize("born", ["19990230", "20010229", "19991301", "19990100", "18800101"])
def test_id_impossible_birth_date_refused(born):
    assert refused(validate_id_number, with_id_check(f"310105{born}123")).code == "id_birth"


def test_id_old_15_digit_number_refused():
    assert refused(validate_id_number, "310105800101123").code == "id_old"
    assert refused(validate_id_number, full_width("310105800101123")).code == "id_old"


@pytest.mark.parametrize("value", ["", "31010519800101123", "3101051980010112345", "31010519800101123Y",
                                  "3101051980010112X3", "31010519800101l23X"])
def test_id_format_refused(value):
    assert refused(validate_id_number, value).code == "id_format"


# --- unified social credit codes (GB 32100) -------------------------------------------------------

@settings(deadline=None)
@given(credit_bodies)
def test_credit_code_with_computed_check_validates(first17):
    code = with_credit_check(first17)
    assert len(code) == 18
    assert validate_credit_code(code) == code


@settings(deadline=None)
@given(credit_bodies)
def test_credit_code_with_any_other_check_fails(first17):
    right = credit_code_check_character(first17)
    for wrong in CREDIT_ALPHABET.replace(right, ""):
        assert refused(validate_credit_code, first17 + wrong).code == "credit_check"


@settings(deadline=None)
@given(credit_bodies, st.booleans(), st.booleans())
def test_credit_code_lower_case_full_width_and_spaces_are_normalised(first17, wide, spaced):
    code = with_credit_check(first17)
    typed = code.lower()
    if wide:
        typed = full_width(typed)
    if spaced:
        typed = f" {typed[:8]} {typed[8:]} "
    assert validate_credit_code(typed) == code


@settings(deadline=None)
@given(credit_bodies, st.integers(0, 17), st.sampled_from("IOSVZiosvz-*"))
def test_credit_code_character_outside_alphabet_refused(first17, position, bad):
    code = with_credit_check(first17)
    code = code[:position] + bad + code[position + 1:]
    assert refused(validate_credit_code, code).code == "credit_character"


def test_credit_code_published_example_validates():
    # The example printed in GB 32100 explanations and many tutorials; it satisfies the algorithm.
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_credit_code(full_width("91350100m000100y43")) == "91350100M000100Y43"
    assert refused(validate_credit_code, "91350100M000100Y44").code == "credit_check"


def test_credit_code_of_a_shanghai_company_shape():
    # 9 (registered by market regulation) 1 (enterprise) 310105 (Changning) + 9-character organisation code.
    code = with_credit_check("91310105MA1FL1234")
    assert validate_credit_code(code) == code


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y433", "91350100M000100Y43" * 2])
def test_credit_code_wrong_length_refused(value):
    assert refused(validate_credit_code, value).code == "credit_length"


def test_credit_code_check_character_wants_17_characters():
    with pytest.raises(ValueError):
        credit_code_check_character("91350100M000100Y")


# --- phone numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("13812345678", "13812345678"),
    ("19912345678", "19912345678"),
    ("138 1234 5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+86-13812345678", "13812345678"),
    ("＋８６１３８１２３４５６７８", "13812345678"),
])
def test_mobile_accepted(value, expected):
    assert validate_mobile(value) == expected
    assert validate_phone(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("021-12345678", "02112345678"),
    ("02112345678", "02112345678"),
    ("(021)12345678", "02112345678"),
    ("(021)-12345678", "02112345678"),
    ("（０２１）１２３４５６７８", "02112345678"),
    ("０２１－１２３４５６７８", "02112345678"),
    ("021 1234 5678", "02112345678"),
    ("+86-21-12345678", "02112345678"),
    ("+86 21 1234 5678", "02112345678"),
])
def test_landline_accepted(value, expected):
    assert validate_landline(value) == expected
    assert validate_phone(value) == expected


def test_phone_keeps_accepting_plus86_before_domestic_landline():
    assert validate_phone("+8602112345678") == "02112345678"


@pytest.mark.parametrize("value", ["138123456789", "1381234567", "12812345678", "23812345678", "+85213812345678",
                                   "13812345678x", "١٣٨١٢٣٤٥٦٧٨", "", "02112345678"])
def test_mobile_refused(value):
    assert refused(validate_mobile, value).code == "mobile_format"


@pytest.mark.parametrize("value", ["021123456789", "0211234567", "010-12345678", "12345678", "(021)1234567",
                                   "021--12345678", "13812345678", ""])
def test_landline_refused(value):
    assert refused(validate_landline, value).code == "landline_format"


@pytest.mark.parametrize("value", ["138123456789", "021123456789", "010-12345678", "12345678", "hello", ""])
def test_phone_refused(value):
    assert refused(validate_phone, value).code == "phone_format"


# --- addresses -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "road", "lane", "number", "building", "room"), [
    ("仙霞西路88号1305室", "仙霞西路", "", "88", "", "1305"),
    ("剑河路599弄55号601", "剑河路", "599", "55", "", "601"),
    ("金钟路999号2幢", "金钟路", "", "999", "2", ""),
    ("上海市长宁区新泾镇仙霞西路88号1305室", "仙霞西路", "", "88", "", "1305"),
    ("上海市长宁区剑河路599弄55号601室", "剑河路", "599", "55", "", "601"),
    ("长宁区新华路街道番禺路100号", "番禺路", "", "100", "", ""),
    ("长宁区镇宁路465弄12号", "镇宁路", "465", "12", "", ""),
    ("浦东新区江镇路8号", "江镇路", "", "8", "", ""),
    ("金钟路999号2号楼301室", "金钟路", "", "999", "2", "301"),
    ("金钟路999号B座1201", "金钟路", "", "999", "B", "1201"),
    ("金钟路999号3栋", "金钟路", "", "999", "3", ""),
    ("沪青平公路1999弄2号", "沪青平公路", "1999", "2", "", ""),
    ("南京东路100号", "南京东路", "", "100", "", ""),
    ("世纪大道100号", "世纪大道", "", "100", "", ""),
    ("仙霞西路８８号１３０５室", "仙霞西路", "", "88", "", "1305"),
    (" 剑河路 599弄 55号 601 ", "剑河路", "599", "55", "", "601"),
])
def test_parse_address(value, road, lane, number, building, room):
    address = parse_address(value)
    assert address == Address(raw=normalise(value), road=road, lane=lane, number=number, building=building,
                              room=room)


def test_parse_address_keeps_normalised_raw():
    address = parse_address("上海市 长宁区　仙霞西路８８号")
    assert address.raw == "上海市长宁区仙霞西路88号"
    assert address.road == "仙霞西路"


@pytest.mark.parametrize("value", ["", "   ", "hello world", "仙霞西路", "88号", "仙霞西路八十八号", "路88号",
                                   "仙霞西路88号1305室楼下", "某某小区5号楼", "仙霞西路88号" * 50, "😀路1号x"])
def test_parse_address_garbage_returns_raw_only(value):
    address = parse_address(value)
    assert address == Address(raw=normalise(value))


@pytest.mark.parametrize("value", [None, 12345])
def test_parse_address_never_raises_on_non_text(value):
    assert parse_address(value) == Address(raw="")


@settings(deadline=None)
@given(st.text(max_size=300))
def test_parse_address_never_raises(value):
    address = parse_address(value)
    assert address.raw == normalise(value)
    if not address.road:
        assert address == Address(raw=address.raw)


def test_address_is_frozen():
    address = parse_address("仙霞西路88号")
    with pytest.raises(AttributeError):
        address.road = "剑河路"


def test_id_number_refuses_non_ascii_digits():
    body = "".join(chr(0x0660 + int(d)) for d in "31010519800101003")  # Arabic-Indic digits
    assert refused(validate_id_number, body + "X").code == "id_format"
