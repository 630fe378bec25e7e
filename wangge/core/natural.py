"""Natural order for Chinese names: 一村, 二村, 三村 … 十村, 十一村, and 2号楼 before 10号楼.

A name is read as runs of numbers (Chinese numerals or digits, compared by value) and text in
between (compared as text), so a list reads the way a person counts, not by code point
(where 三 comes before 二 and 10 before 2)."""

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMBER = re.compile(r"[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+")


def chinese_number(text: str) -> int:
    """二十一 → 21, 一百零五 → 105, 十 → 10, 二〇二二 → 2022 (digit by digit when no unit is named)."""
    if not any(ch in UNITS or ch == "万" for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = section = number = 0
    for ch in text:
        if ch in DIGITS:
            number = DIGITS[ch]
        elif ch in UNITS:
            section += (number or 1) * UNITS[ch]
            number = 0
        else:  # 万
            total += (section + number or 1) * 10000
            section = number = 0
    return total + section + number


def _value(run: str) -> int:
    if run[0] in DIGITS or run[0] in UNITS or run[0] == "万":
        return chinese_number(run)
    return int(run.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def natural_key(name) -> tuple:
    """A sort key: (0, number) for each number, (1, text) for the text between."""
    text = str(name or "")
    key, at = [], 0
    for match in NUMBER.finditer(text):
        if match.start() > at:
            key.append((1, text[at:match.start()]))
        key.append((0, _value(match.group())))
        at = match.end()
    if at < len(text):
        key.append((1, text[at:]))
    return tuple(key)


def natural_sorted(items, key=lambda item: item):
    return sorted(items, key=lambda item: natural_key(key(item)))
