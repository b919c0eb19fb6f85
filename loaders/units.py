"""Unit tokens as the reports print them, for finding where a label ends in squashed tables.

This is recognition only (where does the unit sit in `總收入億元3,772.89`); what a unit means and
how to convert it lives in seeds/unit_conversions.csv. Both scripts are listed. A row whose unit
is not here is still found when the table prints its cells apart; in a squashed table it is
quarantined with reason `no_unit`, never guessed.
"""

from __future__ import annotations

UNIT_TOKENS = sorted(
    {
        "億元",
        "亿元",
        "萬元",
        "万元",
        "元",
        "件",
        "個",
        "个",
        "萬個",
        "万个",
        "宗",
        "萬宗",
        "万宗",
        "萬次",
        "万次",
        "億次",
        "亿次",
        "人次",
        "萬人次",
        "万人次",
        "人",
        "名",
        "萬噸",
        "万吨",
        "噸",
        "吨",
        "公噸",
        "公吨",
        "百萬公噸二氧化碳",
        "百万公吨二氧化碳",
        "噸二氧化碳當量",
        "吨二氧化碳当量",
        "萬噸二氧化碳當量",
        "万吨二氧化碳当量",
        "噸 / 百萬元",
        "吨 / 百万元",
        "噸/百萬元",
        "吨/百万元",
        "噸 / 百萬人民幣",
        "吨 / 百万人民币",
        "千克 / 百萬人民幣",
        "千克 / 百万人民币",
        "兆瓦時",
        "兆瓦时",
        "兆瓦時 / 百萬元",
        "兆瓦时 / 百万元",
        "兆瓦時 / 百萬人民幣",
        "兆瓦时 / 百万人民币",
        "兆瓦",
        "千瓦時",
        "千瓦时",
        "升",
        "立方米",
        "平方米",
        "%",
        "小時",
        "小时",
        "天",
        "日",
    },
    key=len,
    reverse=True,
)


def unit_suffix(text: str) -> str:
    """The longest unit token `text` ends with ('' if none)."""
    for token in UNIT_TOKENS:
        if text.endswith(token):
            return token
    return ""


# Highlight value lines also print these after a number (`5.24 萬噸二氧化碳排放`, `6,870 萬`).
HIGHLIGHT_UNIT_TOKENS = sorted(
    set(UNIT_TOKENS)
    | {
        "萬噸二氧化碳",
        "万吨二氧化碳",
        "萬千瓦時",
        "万千瓦时",
        "門",
        "门",
        "個小時",
        "个小时",
        "次",
        "萬",
        "万",
        "億",
        "亿",
        "家",
        "萬家",
        "万家",
    },
    key=len,
    reverse=True,
)


# Units running text prints after a number and an optional 万/亿 (`1.28 亿元`, `382 万人次`,
# `1.9 萬噸 CO₂ 當量`): base units only, the magnitude is read apart. A space in a token stands for
# any run of whitespace, as printed.
PROSE_UNIT_TOKENS = sorted(
    {
        "人次",
        "名",
        "人",
        "个",
        "個",
        "家",
        "元",
        "次",
        "宗",
        "朵",
        "个百分点",
        "個百分點",
        "吨",
        "噸",
        "吨二氧化碳当量",
        "噸二氧化碳當量",
        "吨二氧化碳",
        "噸二氧化碳",
        "吨 CO₂ 当量",
        "噸 CO₂ 當量",
        "吨 CO2 当量",
        "噸 CO2 當量",
        "吨 CO₂e",
        "噸 CO₂e",
        "吨 CO2e",
        "噸 CO2e",
        "兆瓦时",
        "兆瓦時",
        "千瓦时",
        "千瓦時",
        "兆瓦",
        "千瓦",
        "人民币",
        "人民幣",
    },
    key=len,
    reverse=True,
)


def unit_prefix(text: str, tokens: list[str] = HIGHLIGHT_UNIT_TOKENS) -> str:
    """The longest unit token `text` starts with ('' if none)."""
    for token in tokens:
        if text.startswith(token):
            return token
    return ""
