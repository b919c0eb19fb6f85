"""Prose safety: a figure outside a table takes its year only from its own sentence or from what
governs it, targets are quarantined as targets, and markup is never a figure.

The cases are built from what an OCR'd Chinese ESG report printed (issue 9): a listing year in
the paragraph before, a `2024年目标` heading over thresholds, `<img width="41%">`, new-hire counts
split by gender.
"""

from __future__ import annotations

import pytest

from loaders.load import parse_bytes
from loaders.text import DocumentContext

pytestmark = pytest.mark.attack("report text")

CONTEXT = DocumentContext(2023, 2023, "zh-Hans")


def _parse(text: str):
    return parse_bytes(text.encode("utf-8"), "case.zh-Hans.txt", CONTEXT)


def _prose(doc):
    return [f for f in doc.figures if f.extraction_method in ("prose", "highlight")]


def test_a_year_in_a_neighbouring_paragraph_does_not_date_a_figure():
    doc = _parse(
        "公司概况\n\n腾讯于2004年在香港联合交易所主板上市，2015年成立公益慈善基金会。\n\n"
        "我们的员工总数为 105,417 人，覆盖全球多个国家和地区。\n"
    )
    assert not [f for f in _prose(doc) if f.value_text == "105,417"]
    q = [q for q in doc.quarantined if "105,417" in (q.candidates or "")]
    assert [x.reason_code for x in q] == ["year_unknown"]
    assert q[0].line_start == 5


def test_a_governing_heading_dates_the_figures_under_it():
    doc = _parse("## 2023年员工概况\n\n腾讯于2004年在香港上市。\n\n我们的员工总数为 105,417 人。\n")
    f = [f for f in _prose(doc) if f.value_text == "105,417"]
    assert [(x.fiscal_year, x.line_start) for x in f] == [(2023, 5)]


def test_the_sentences_own_year_wins_over_the_paragraph_above():
    doc = _parse("2015年，我们启动了员工关怀计划。\n\n2023年，员工总数为 105,417 人。\n")
    assert [(f.fiscal_year, f.value_text) for f in _prose(doc)] == [(2023, "105,417")]


def test_targets_under_a_target_heading_are_quarantined():
    doc = _parse(
        "2024年目标\n\n员工离职率不高于30%。\n\n女性员工占比达到35%。\n\n## 2023年表现\n\n2023年，员工流失率为 17%。\n"
    )
    values = {f.value_text for f in _prose(doc)}
    assert not values & {"30", "35", "30%", "35%"}
    # `17%` printed glued keeps its sign in the value, as the table and highlight readers keep it
    assert [(f.fiscal_year, f.value_text, f.unit_text) for f in _prose(doc)] == [(2023, "17%", "")]
    reasons = {q.line_start: q.reason_code for q in doc.quarantined}
    assert reasons[3] == "not_reported_metric" and reasons[5] == "not_reported_metric"


def test_threshold_words_state_a_goal():
    doc = _parse("2023年，我们要求供应商的员工离职率不高于30%，员工满意度不低于90%，培训覆盖率不少于95%。\n")
    assert _prose(doc) == []
    assert sorted(q.candidates for q in doc.quarantined) == ["30%", "90%", "95%"]


def test_lower_bound_words_of_a_result_keep_their_meaning():
    doc = _parse("2023年，腾讯公益平台筹款超过 38 亿元，员工志愿服务时长 200,000 小时以上。\n")
    f = [(x.value_text, x.qualifier) for x in _prose(doc)]
    assert ("38", "lower_bound") in f


def test_numbers_in_markup_are_never_figures():
    doc = _parse(
        '2023年员工关怀\n\n<p>员工满意度调查<img src="images/chart2023.png" width="41%" height="120"></p>\n\n'
        "2023年员工捐款详情见 https://gongyi.qq.com/2023/donate?amount=500元 页面。\n\n"
        "![员工 35% 图](https://example.com/2023/staff_35%.png)\n"
    )
    assert _prose(doc) == []
    assert not [q for q in doc.quarantined if "41" in (q.candidates or "") or "500" in (q.candidates or "")]


def test_raw_text_keeps_the_markup_as_printed():
    line = '2023年员工总数为 105,417 人<img src="a.png" width="41%">。'
    doc = _parse(line + "\n")
    f = [x for x in _prose(doc) if x.value_text == "105,417"]
    assert len(f) == 1 and f[0].raw_text == line


def test_new_hire_splits_keep_their_subject():
    """`其中男性 1,800 人` is a split of the new hires, not of the headcount: the sentence's subject
    travels with the figure, and the marts never take a split from prose."""
    doc = _parse("2023年，新入职员工 3,000 人，其中男性 1,800 人，女性 1,200 人。\n")
    f = {x.value_text: x for x in _prose(doc)}
    assert set(f) == {"3,000", "1,800", "1,200"}
    assert "新入职员工" in (f["1,800"].group_label or "") and "新入职员工" in (f["1,200"].group_label or "")
    assert f["1,200"].row_label == "女性"


def test_a_comparisons_starting_year_does_not_date_the_figures_after_it():
    """`2023 年，腾讯的可再生能源占比从 2022 年的 7.2% 提升到` over `12.4%`, and `相比 2022 年增加`
    over `79.6%` before `避免碳排放 344619.2吨`: 2022 is where the comparison starts; the figures are
    2023's (SSV 2023 lines 3004 and 3008, two readers agreeing: tests/expected/figures.csv)."""
    from pathlib import Path

    from loaders.load import parse_bytes

    name = "tencent_ssv_2023.zh-Hans.txt"
    doc = parse_bytes((Path(__file__).resolve().parents[1] / "data" / "reports" / name).read_bytes(), name)
    years = {(f.line_start, f.value_text): f.fiscal_year for f in doc.figures if f.extraction_method == "highlight"}
    assert years[(3004, "344619.2")] == 2023 and years[(3008, "12.4%")] == 2023
    text = "2023 年，能源使用量\n\n1,200兆瓦时\n\n相比 2022 年减少\n\n5%\n"
    synthetic = parse_bytes(text.encode("utf-8"), "x.zh-Hans.txt")
    assert {(f.value_text, f.fiscal_year) for f in synthetic.figures} >= {("1,200", 2023), ("5%", 2023)}


def test_a_timeline_entry_is_dated_by_its_year_heading_not_by_the_entry_above():
    """SSV 2023 lines 162-174: under the heading `2021`, the entry `10月 …截至 2024 年 5 月…` states
    its own as-of date; the next entry `12月 捐赠 1 亿元…` is 2021's (two readers agree)."""
    doc = _parse(
        "2021\n\n10月 推出爱心餐公益计划，截至 2024 年 5 月，项目已覆盖 **15** 个城市。\n\n"
        "12月 捐赠 **1** 亿元启动“公共卫生人才提升项目”。\n"
    )
    years = {f.value_text: f.fiscal_year for f in _prose(doc)}
    assert years == {"15": 2024, "1": 2021}


def test_a_figure_dated_by_a_targets_year_is_a_target():
    """ESG 2021 line 102: 我們自願承諾不晚於2030年，…並實現100%綠色電力 is a commitment, not a 2030 figure."""
    doc = _parse("我们自愿承诺不晚于2030年，实现自身运营的全面碳中和，并实现100%绿色电力。\n")
    assert _prose(doc) == []
    assert [(q.reason_code, q.candidates) for q in doc.quarantined] == [("not_reported_metric", "100%")]


def test_a_sum_over_several_years_is_no_single_years_figure():
    """SSV 2023 line 188: 由腾讯发起，**10**年内出资 **100** 亿元 is a ten-year pledge."""
    doc = _parse("2022\n\n8月 基金会注册成立。由腾讯发起，**10**年内出资 **100** 亿元人民币，是公益性科学基金会。\n")
    assert _prose(doc) == []
    assert [q.reason_code for q in doc.quarantined] == ["cumulative_total"]


def test_emphasis_magnitudes_and_counting_words_are_read_as_printed():
    doc = _parse(
        "2023年，99 公益日总用户捐款金额 **38** 亿元（同比增长 **16%**），总用户参与人数 **1.2** 亿，"
        "互动 **5.5** 亿次，收到用户投诉 1,238,395 宗，发电超 200 万千瓦时，募捐平台上线 40 余家机构。\n"
    )
    got = {(f.value_text, f.unit_text, f.qualifier) for f in _prose(doc)}
    assert got == {
        ("38", "亿元", "exact"),
        ("16%", "", "exact"),
        ("1.2", "亿", "exact"),
        ("5.5", "亿次", "exact"),
        ("1,238,395", "宗", "exact"),
        ("200", "万千瓦时", "lower_bound"),
        ("40", "家", "lower_bound"),
    }


# What an adversarial review of the widened prose reader tried (each wrong before its fix):
# (text, figures as (value, unit, year, qualifier), quarantine reasons)
TRICKS = [
    ("2023年，腾讯召开第12次员工代表大会，共有 300 名员工参与。", {("300", "名", 2023, "exact")}, set()),
    ("2023年，腾讯第 3 次开展员工满意度调查，投诉 5 宗。", {("5", "宗", 2023, "exact")}, set()),
    ("2023年，腾讯在员工满意度排名中位列前 10 名。", set(), set()),
    ("用户投诉 3 个工作日内闭环处理，2023年处理率 99%。", {("99%", "", 2023, "exact")}, set()),
    ("2023年，员工培训覆盖率达 20%-30%。", set(), {"value_range"}),
    ("2023年，员工流失率未超过 5%。", set(), {"upper_bound"}),
    ("2023年，员工流失率不超 10%。", set(), {"not_reported_metric"}),
    ("2023年，绿电采购相当于种植 286.4 万棵大树。", set(), {"not_reported_metric"}),
    ("騰訊公益負責人表示：「我們一年培訓100個醫生。」", set(), {"not_reported_metric"}),
    ("2023年，腾讯公益负责人表示，“我们今年培训了 100 名乡村医生。”", set(), {"not_reported_metric"}),
    ("99 公益日规划的 50 亿资金中 10 亿元将用于项目支持，2021 年启动。", set(), {"not_reported_metric"}),
    ("2024年预计将服务十万志愿者；公益平台已覆盖逾6万村庄。", set(), {"not_reported_metric"}),
    ("2021-2023年，腾讯公益平台共募集善款 300 亿元。", set(), {"cumulative_total"}),
    ("2021 年“99 公益日”设立了“5 年 5 亿”的专项公益激励基金。", set(), {"cumulative_total"}),
    (
        "2023年，公益平台用户捐款 2万亿元，员工捐赠 100万人民币。",
        {("2", "万亿元", 2023, "exact"), ("100", "万人民币", 2023, "exact")},
        set(),
    ),
    (
        "2023 年，腾讯员工捐赠 **500万** 元，**超**500万人次参与公益。",
        {("500", "万元", 2023, "exact"), ("500", "万人次", 2023, "lower_bound")},
        set(),
    ),
    (
        "2021\n\n10月 腾讯推出爱心餐公益计划，截至 2024 年 5 月，项目已覆盖 15 个城市并持续扩大服务范围和覆盖人群\n\n"
        "12月 捐赠 1 亿元启动公共卫生人才提升项目。",
        {("15", "个", 2024, "exact"), ("1", "亿元", 2021, "exact")},
        set(),
    ),
]


@pytest.mark.parametrize("text, figures, reasons", TRICKS, ids=[t[0][:18] for t in TRICKS])
def test_a_trick_of_the_widened_reader_is_read_right(text, figures, reasons):
    doc = _parse(text + "\n")
    assert {(f.value_text, f.unit_text, f.fiscal_year, f.qualifier) for f in _prose(doc)} == figures
    assert {q.reason_code for q in doc.quarantined} == reasons
