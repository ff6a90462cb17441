#!/usr/bin/env python3
"""Golden vectors for FathomTemplate: chat templates rendered by Python's jinja2, as HF transformers renders them.

Requires: jinja2 (tested with jinja2 3.1.6, markupsafe 3.0, CPython 3.11). The Swift tests need no Python.

The environment is the one transformers' apply_chat_template builds (and llama-cpp-python's Jinja2ChatFormatter
close to it): ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker,
loopcontrols]), tojson = json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False),
globals raise_exception (raises TemplateError) and strftime_now (formats a fixed naive datetime here, so
renders are deterministic). Chats render with messages=[{"role", "content"}...], tools=None, documents=None,
add_generation_prompt, bos_token, eos_token and per-case extras.

Writes Tests/Fixtures/chat_templates/goldens.json:
  now            the fixed datetime (ISO) and its UTC epoch seconds
  conversations  name -> [[role, content], ...]
  cases          chat cases (template file, conversation, flags, tokens, extra) and plain cases (inline source,
                 globals), each with "output" or "error" {"type", "message"}
Values in extra/globals are tagged so Swift can rebuild them exactly (dict order, int vs float, tuples):
  ["s", str] ["i", int] ["f", repr] ["b", bool] ["n"] ["l", [...]] ["t", [...]] ["d", [[key, value], ...]]

Usage: python3 scripts/chat_templates/make_goldens.py [--out Tests/Fixtures/chat_templates]
"""
import argparse
import calendar
import datetime
import json
import os
import sys
import warnings

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOW = datetime.datetime(2024, 7, 26, 13, 5, 9, 250000)
NOW_EPOCH = calendar.timegm(NOW.timetuple()) + NOW.microsecond / 1e6


class AssistantTracker(Extension):
    """transformers' {% generation %} tag: a call block that renders its body (tracking is not needed here)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    @jinja2.pass_eval_context
    def _generation_support(self, context, caller):
        return caller()


# jinja2 compiles `x[1:]` on a literal int to Python that warns "'int' object is not subscriptable"
warnings.filterwarnings("ignore", category=SyntaxWarning)


def make_env():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[AssistantTracker, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def tag(v):
    if v is None:
        return ["n"]
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, int):
        return ["i", v]
    if isinstance(v, float):
        return ["f", repr(v)]
    if isinstance(v, str):
        return ["s", v]
    if isinstance(v, list):
        return ["l", [tag(x) for x in v]]
    if isinstance(v, tuple):
        return ["t", [tag(x) for x in v]]
    if isinstance(v, dict):
        return ["d", [[tag(k), tag(x)] for k, x in v.items()]]
    raise TypeError(f"cannot tag {type(v)}")


def render(env, source, variables):
    try:
        template = env.from_string(source)
        out = template.render(**variables)
    except Exception as e:  # noqa: BLE001 - every jinja2 failure is a golden
        return {"error": {"type": type(e).__name__, "message": str(e)}}
    if " at 0x" in out:
        raise SystemExit(f"non-deterministic output (memory address) for {source[:60]!r}")
    return {"output": out}


# ---------------------------------------------------------------------------------------------
# Conversations

CONVERSATIONS = {
    "basic": [("user", "Hello!"), ("assistant", "Hi there. How can I help?"), ("user", "What is 2+2?")],
    "system": [("system", "You are a terse assistant."), ("user", "Name a color."), ("assistant", "Blue."),
               ("user", "Another.")],
    "multiline": [("system", "  Line one\nline two  \n"), ("user", "\n\nfirst\n  indented\n\ttabbed\n\n"),
                  ("assistant", "  padded answer  "), ("user", "end\n")],
    "unicode": [("user", "Ünïcödé — 日本語のテキスト, עברית, emoji 😀🎉👩‍👩‍👧, e\u0301 vs é, zero\u200bwidth, nbsp\u00a0!"),
                ("assistant", "Σίσυφος ΣΑΣ straße ﬁ İ"), ("user", "ok 👍")],
    "empty": [("user", ""), ("assistant", ""), ("user", " ")],
    "braces": [("user", "Render {{ this }} and {% that %} and {# not #} literally, plus }} {{ and \\n"),
               ("assistant", "Sure: {{ x }}"), ("user", "{%- raw %}")],
    "think": [("user", "Solve it."), ("assistant", "<think>\nreasoning here\n</think>\n\nThe answer is 4."),
              ("user", "Again?"), ("assistant", "No think tags here."), ("user", "Thanks")],
    "single": [("user", "Just one message.")],
    "tool": [("user", "Weather in Paris?"), ("assistant", "Let me check."),
             ("tool", "{\"temperature\": 21, \"unit\": \"celsius\"}"), ("tool", "second tool output"),
             ("user", "Thanks!")],
    "double_user": [("user", "a"), ("user", "b")],
    "system_only": [("system", "only system")],
    "starts_assistant": [("assistant", "I speak first"), ("user", "ok")],
    "unknown_role": [("user", "hi"), ("narrator", "meanwhile"), ("user", "x")],
    "two_systems": [("system", "First system."), ("system", "Second system."), ("user", "hi")],
    "long": [("system", "sys")] + [("user" if i % 2 == 0 else "assistant", f"turn {i}: " + "word " * (i % 4))
                                    for i in range(12)] + [("user", "last")],
    "empty_list": [],
}

TOOLS = [
    {"type": "function", "function": {
        "name": "get_weather",
        "description": "Get the weather. Use \"celsius\" by default — ünïcode ✓",
        "parameters": {"type": "object", "properties": {
            "city": {"type": "string", "description": "City name"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city"]},
        "return": {"type": "number"}}},
    {"type": "function", "function": {
        "name": "add",
        "description": "Add numbers",
        "parameters": {"type": "object", "properties": {
            "a": {"type": "number", "maximum": 10.5, "minimum": -1e-7},
            "b": {"type": "integer", "default": None, "nullable": True}},
            "required": []}}},
]

TOKENS = [("<s>", "</s>"), ("<|begin_of_text|>", "<|eot_id|>"), ("", "")]

CHAT_TEMPLATES = {
    "chatml_qwen25.jinja": [{"tools": TOOLS}],
    "llama31.jinja": [{"tools": TOOLS}, {"tools": TOOLS, "tools_in_user_message": False},
                      {"builtin_tools": ["code_interpreter", "brave_search", "wolfram_alpha"]},
                      {"date_string": "01 Jan 2025"}, {"custom_tools": TOOLS[:1]}],
    "llama32.jinja": [{"tools": TOOLS}, {"tools": TOOLS, "tools_in_user_message": False}, {"date_string": "02 Feb 2025"}],
    "mistral_v03.jinja": [{"tools": TOOLS}],
    "gemma2.jinja": [],
    "phi3.jinja": [],
    "deepseek_r1.jinja": [],
    "torture_macros_loops.jinja": [],
    "torture_filters.jinja": [],
    "torture_whitespace.jinja": [],
}
EXTRA_CONVERSATIONS = ["basic", "system", "tool", "single"]


def chat_cases(env, folder):
    cases = []
    for name, extras in CHAT_TEMPLATES.items():
        with open(os.path.join(folder, name), encoding="utf-8", newline="") as f:
            source = f.read()
        combos = []
        for conv in CONVERSATIONS:
            for agp in (True, False):
                combos.append((conv, agp, 0, None))
        for conv in ("basic", "system"):
            for agp in (True, False):
                for t in (1, 2):
                    combos.append((conv, agp, t, None))
        for i, extra in enumerate(extras):
            for conv in EXTRA_CONVERSATIONS:
                for agp in (True, False):
                    combos.append((conv, agp, 0, (i, extra)))
        for conv, agp, t, extra in combos:
            bos, eos = TOKENS[t]
            variables = {"messages": [{"role": r, "content": c} for r, c in CONVERSATIONS[conv]], "tools": None,
                         "documents": None, "add_generation_prompt": agp, "bos_token": bos, "eos_token": eos}
            if extra:
                variables.update(extra[1])
            case_id = f"{name[:-6]}/{conv}/{'gen' if agp else 'nogen'}/tok{t}" + (f"/extra{extra[0]}" if extra else "")
            case = {"id": case_id, "template": name, "conversation": conv, "add_generation_prompt": agp,
                    "bos_token": bos, "eos_token": eos, "extra": tag(extra[1] if extra else {})}
            case.update(render(env, source, variables))
            cases.append(case)
    return cases


# ---------------------------------------------------------------------------------------------
# Plain templates rendered with render(globals)

G = {
    "d": {"a": 1, "b": [1, 2], "items": "key named items", "content": "c"},
    "s": "héllo wörld",
    "n": None,
    "l": [3, 1, 2],
    "f": 1.5,
    "t": (1, "a"),
    "e": "",
    "users": [{"name": "ann", "age": 31, "admin": True}, {"name": "Bob", "age": 19}, {"name": "cy", "age": 31}],
    "nested": {"x": {"y": {"z": [10, 20, {"w": "deep"}]}}},
    "big": 9007199254740993,
    "msgs": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant",
             "content": "<think>r</think>A1"}, {"role": "user", "content": "U2"}],
}

PLAIN = [
    # whitespace control and lexer edge cases
    ("ws/trailing_newline_dropped", "a\n", {}),
    ("ws/two_trailing_newlines", "a\n\n", {}),
    ("ws/crlf", "{% for m in msgs %}\r\n  {{ m.role }}:\r\n  {% if m.content %}{{ m.content }}{% endif %}\r\n{% endfor %}\r{{ 'cr-only' }}\r\n  {%- raw %}\r\nraw\r\n{% endraw %}\r\n", G),
    ("ws/lstrip_at_start", "   {% if true %}x{% endif %}", {}),
    ("ws/lstrip_not_after_text", "a  {% if true %}x{% endif %}", {}),
    ("ws/lstrip_after_block_newline", "{% if true %}\n   {% if true %}y{% endif %}\n{% endif %}", {}),
    ("ws/lstrip_after_variable", "{{ 1 }}\n   {% if true %}y{% endif %}", {}),
    ("ws/lstrip_after_variable_same_line", "{{ 1 }}   {% if true %}y{% endif %}", {}),
    ("ws/dash_variable_end_then_tag", "{{ 1 -}}\n   {% if true %}y{% endif %}", {}),
    ("ws/comment_trim", "a\n{# c #}\nb\n  {# d #}\nc", {}),
    ("ws/comment_plus", "a\n{# c +#}\nb", {}),
    ("ws/comment_dash_both", "a   {#- c -#}   b", {}),
    ("ws/variable_dash", "a  {{- 'x' -}}  b\n\n{{- 'y' }}", {}),
    ("ws/variable_plus", "a  {{+ 'x' }}  b", {}),
    ("ws/minus_number_is_dash", "x {{-1}} y", {}),
    ("ws/block_plus_end", "{% if true +%}\nkept newline{% endif %}", {}),
    ("ws/raw_plus", "  {%+ raw %}R{% endraw %}", {}),
    ("ws/raw_dash", "a\n  {%- raw -%}  R  {%- endraw -%}  \nb", {}),
    ("ws/raw_newline_after_begin", "{% raw %}\nR\n{% endraw %}\nafter", {}),
    ("ws/raw_content_tags", "{% raw %}{{ x }}{% if %}{% endif %}{# c #}{% endraw %}", {}),
    ("ws/set_lines", "{% set a = 1 %}\n{% set b = 2 %}\n{{ a + b }}", {}),
    ("ws/nested_indent", "<ul>\n{% for i in l %}\n    <li>{{ i }}</li>\n{% endfor %}\n</ul>", G),
    ("ws/tab_lstrip", "\t\t{% if true %}T{% endif %}", {}),
    ("ws/only_text", "plain text with { braces } and %} and #} and }}", {}),
    ("ws/brace_at_end", "text {", {}),
    ("ws/dict_in_variable", "{{ {'a': {'b': 1}} }}", {}),
    ("ws/dict_in_block", "{% set x = {'a': {'b': [1, {'c': 2}]}} %}{{ x }}", {}),
    ("ws/unicode_space_lstrip", "\u3000{% if true %}ideographic{% endif %}\n\u2003 {% if true %}em{% endif %}", {}),
    # literals
    ("lit/strings", r"""{{ 'a\'b' }}|{{ "a\"b" }}|{{ 'tab\tx' }}|{{ '\x41\u00e9\U0001F600' }}|{{ '\101\60' }}|{{ 'back\\' }}|{{ 'keep\d\q' }}|{{ 'é\é' }}|{{ 'line\
cont' }}""", {}),
    ("lit/numbers", "{{ 1_000 }} {{ 0x_ff }} {{ 0O17 }} {{ 0B1 }} {{ 1.5e3 }} {{ 1E-3 }} {{ 1_0.5_0 }} {{ 00 }} {{ 12.0e0 }}", {}),
    ("lit/bool_none", "{{ true }} {{ True }} {{ false }} {{ False }} {{ none }} {{ None }} {{ [true, none] }}", {}),
    ("lit/collections", "{{ [1, 'a', [2], (3,), {'k': 'v'}] }} {{ (1, 2,) }} {{ [1, 2,] }} {{ {'a': 1,} }} {{ {1: 'i', 1.0: 'f', true: 'b'} }}", {}),
    ("lit/adjacent_strings", "{{ 'a' 'b' \"c\" }}", {}),
    # printing
    ("print/floats", "{{ [0.1, 1/3, 2/3, 1e22, 1e-7, 123e-20, 1.5e16, 9999999999999998.0, 0.000123, 1e100, -1.0, 2.0**0.5] }}", {}),
    ("print/big_ints", "{{ big }} {{ big * 1 }} {{ 2 ** 62 }} {{ -2 ** 63 }}", G),
    ("print/nested", "{{ nested }} {{ t }} {{ d }}", G),
    ("print/special_strings", "{{ ['\\'', '\"', '\\'\"', '\\\\', '\\x00\\x1f\\x7f\\x80\\xad', '\\u2028\\u2029\\ufeff', '\\U0001f600', '\\ud7ff\\ue000'] }}", {}),
    ("print/undefined_in_list", "{{ [missing, none] }}", {}),
    ("print/macro", "{% macro m() %}{% endmacro %}{{ m }} {{ [m] }}", {}),
    ("print/loop", "{% for i in l %}{{ loop }}{% endfor %}", G),
    ("print/ns", "{{ namespace() }} {{ namespace(a=[1, 'x'], b=none) }}", {}),
    # variables, attributes, items
    ("lookup/attr_then_item", "{{ d.a }} {{ d['a'] }} {{ d.items is defined }} {{ d['items'] }} {{ d.content }}", G),
    ("lookup/method_beats_key", "{{ d.items()|list|length }}", G),
    ("lookup/missing", "{{ d.zz }}|{{ d['zz'] }}|{{ l[10] }}|{{ s[100] }}|{{ n.x }}|{{ n['x'] }}|{{ (1).x }}|{{ l['x'] }}|{{ t[5] }}", G),
    ("lookup/negative_index", "{{ l[-1] }} {{ s[-1] }} {{ t[-2] }} {{ l[-4] }}|", G),
    ("lookup/dotted_int", "{{ nested.x.y.z.2.w }} {{ l.0 }} {{ users.1.name }}", G),
    ("lookup/getitem_attr_fallback", "{{ s['upper']() }} {{ d['get']('a') }} {{ l['count'](3) }}", G),
    ("lookup/bool_index", "{{ l[true] }} {{ l[false] }}", G),
    ("lookup/float_index", "{{ l[1.0] }}|", G),
    ("lookup/dict_float_key", "{{ {1: 'one'}[1.0] }} {{ {1: 'one'}[true] }}", {}),
    ("lookup/unsafe_dunder", "{{ d.__class__ }}|{{ s.__len__ }}|{{ d['__class__'] }}|", G),
    ("lookup/mutating_attr_prints_empty", "{{ l.append }}|{{ d.update }}|{{ l.append is defined }}", G),
    ("lookup/numbers_attrs", "{{ (5).real }} {{ (1.5).imag }} {{ (7).denominator }}", {}),
    ("lookup/undefined_tests", "{{ missing is defined }} {{ d.zz is defined }} {{ d.zz is undefined }} {{ l[9] is defined }}", G),
    ("lookup/globals_shadow", "{% set l = [9] %}{{ l }}{% for x in [1] %}{% set l = [8] %}{{ l }}{% endfor %}{{ l }}", G),
    ("lookup/set_messages_slice", "{% set msgs = msgs[1:] %}{{ msgs|length }} {{ msgs[0].role }}", G),
    # scoping
    ("scope/loop_set_does_not_leak", "{% set c = 0 %}{% for i in l %}{% set c = c + i %}{{ c }},{% endfor %}{{ c }}", G),
    ("scope/loop_var_does_not_leak", "{% for i in l %}{% endfor %}[{{ i }}]", G),
    ("scope/if_set_leaks", "{% if true %}{% set y = 5 %}{% endif %}{{ y }}", {}),
    ("scope/namespace_persists", "{% set ns = namespace(c=0) %}{% for i in l %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}", G),
    ("scope/macro_sees_later_global", "{% macro m() %}{{ x }}{% endmacro %}{% set x = 1 %}{{ m() }}", {}),
    ("scope/macro_before_definition", "[{{ m }}]{% macro m() %}{% endmacro %}", {}),
    ("scope/macro_recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("scope/with_outer_values", "{% set a = 'o' %}{% with a = 'i', b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}", {}),
    ("scope/filter_block_scope", "{% filter upper %}{% set yy = 1 %}ab{% endfilter %}[{{ yy }}]", {}),
    ("scope/set_block_scope", "{% set v %}{% set inner = 1 %}x{% endset %}{{ v }}[{{ inner }}]", {}),
    ("scope/loop_else_no_iteration", "{% for i in [] %}x{% else %}{{ i is defined }}{% endfor %}", {}),
    ("scope/break_skips_else", "{% for i in l %}{% break %}{% else %}else{% endfor %}done", G),
    ("scope/nested_break_continue", "{% for i in range(3) %}{% for j in range(3) %}{% if j == 1 %}{% continue %}{% endif %}{% if j == 2 %}{% break %}{% endif %}{{ i }}{{ j }} {% endfor %}{% endfor %}", {}),
    ("scope/loop_in_macro_cannot_see_caller_loop", "{% macro m() %}[{{ loop is defined }}]{% endmacro %}{% for i in l %}{{ m() }}{% endfor %}", G),
    ("scope/caller_undefined", "{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}", {}),
    ("scope/macro_kwargs_only", "{% macro m(a) %}{{ kwargs }}{% endmacro %}{{ m(1, b=2, c=3) }}", {}),
    ("scope/macro_defaults_use_params", "{% macro m(a, b=a * 2, c=b + 1) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }} {{ m(1, c=0) }}", {}),
    ("scope/macro_star_args", "{% macro m(a, b) %}{{ a }}-{{ b }}{% endmacro %}{{ m(*[1, 2]) }} {{ m(**{'b': 3, 'a': 4}) }}", {}),
    ("scope/macro_attributes", "{% macro m(x, y=1) %}{{ varargs }}{% endmacro %}{{ m.name }} {{ m.arguments }} {{ m.catch_varargs }}", {}),
    ("scope/generation_scope", "{% generation %}{% set g = 1 %}in{% endgeneration %}[{{ g }}]", {}),
    # operators
    ("op/arith", "{{ 7 + 2 }} {{ 7 - 2.5 }} {{ 7 * 2 }} {{ 7 / 2 }} {{ 8 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 % 2 }} {{ -7.5 % 2 }} {{ 2 ** 8 }} {{ 2 ** -1 }} {{ 2.0 ** 3 }} {{ 0 ** 0 }} {{ -(3) }} {{ +3 }} {{ +true }}", {}),
    ("op/float_divmod_edge", "{{ 1 // 0.1 }} {{ 1 % 0.1 }} {{ -1 // 0.1 }} {{ 0.0 // 1 }} {{ -0.0 // 1 }} {{ 5 % -0.0 if false else 'skip' }}", {}),
    ("op/concat", "{{ 1 ~ 2 }} {{ 'a' ~ none ~ true ~ 1.0 ~ missing ~ [1, 'x'] ~ {'k': 'v'} }}", {}),
    ("op/compare_chain", "{{ 1 < 2 > 1 }} {{ 1 == 1 == 1 }} {{ 1 < 2 < 2 }} {{ 'a' < 'b' <= 'b' }} {{ 1 < 1.5 }} {{ true > 0 }}", {}),
    ("op/unicode_order", "{{ 'é' > 'z' }} {{ ['é', 'z', 'a', 'Z', '😀', 'ä']|sort }}", {}),
    ("op/in", "{{ 'a' in 'cat' }} {{ '' in 'x' }} {{ 1 in [1.0] }} {{ 'a' in {'a': 1} }} {{ 'b' not in {'a': 1} }} {{ 'x' in missing }} {{ 1 in (1, 2) }} {{ [1] in [[1], 2] }}", {}),
    ("op/logic_values", "{{ 0 or none or '' or 'last' }} {{ 1 and 2 and 3 }} {{ [] and 'x' }} {{ missing or 'fallback' }} {{ not missing }} {{ missing and 1 }}|", {}),
    ("op/equality_types", "{{ 1 == '1' }} {{ none == false }} {{ [] == () }} {{ {} == {} }} {{ 'a' == 'a' }} {{ missing == missing }} {{ missing == none }} {{ 1.0 == true }} {{ 0.1 + 0.2 == 0.3 }}", {}),
    ("op/string_repeat_concat", "{{ 'ab' + 'cd' }} {{ 'ab' * 2 }} {{ 2 * [1] }} {{ [1] * 0 }} {{ 'x' * true }}", {}),
    ("op/precedence", "{{ 1 + 2 * 3 ** 2 }} {{ (1 + 2) * 3 }} {{ 2 ** 2 ** 3 }} {{ -2 ** 2 }} {{ not 1 and 0 }} {{ not (1 and 0) }} {{ 1 if 0 else 2 if 0 else 3 }} {{ 'a' ~ (1 + 2) }} {{ 10 - 3 - 2 }} {{ 100 / 10 / 5 }}", {}),
    ("op/filter_vs_unary", "{{ -1|abs }} {{ -(1|abs) }} {{ - 3|string }} {{ not true|string }}", {}),
    ("op/ternary_no_else", "[{{ 'x' if false }}] [{{ ('x' if false) is defined }}] [{{ ('x' if false)|default('d') }}]", {}),
    ("op/tuple_output", "{{ 1, 'a' }} {{ (1) }} {{ () }}", {}),
    # filters
    ("filter/length_kinds", "{{ s|length }} {{ d|length }} {{ t|length }} {{ missing|length }} {{ ''|length }} {{ '😀é'|length }} {{ range(7)|length }}", G),
    ("filter/first_last", "{{ l|first }} {{ l|last }} {{ s|first }} {{ s|last }} {{ d|first }} {{ d|last }} {{ missing|first }}|{{ []|last }}|", G),
    ("filter/join_kinds", "{{ l|join }} {{ l|join('-') }} {{ s|join('.') }} {{ users|join(',', attribute='name') }} {{ d|join('|') }} {{ missing|join(',') }}|", G),
    ("filter/default_chain", "{{ missing|default(none)|default('x') }} {{ missing|d(0) }} {{ false|default('f', true) }} {{ [] |default('empty', boolean=true) }}", {}),
    ("filter/string_int_float", "{{ 12|string }} {{ '12'|int + 1 }} {{ '  -0x10 '|int(base=16) }} {{ '0o17'|int(base=8) }} {{ '017'|int(base=0) }} {{ '17'|int(base=0) }} {{ '1e2'|float }} {{ ' 2.5 '|float }} {{ '-inf'|float }} {{ 'infinity'|float }} {{ '1_5'|float }} {{ '12abc'|int(5) }} {{ 12.0|int }}", {}),
    ("filter/round_more", "{{ 2.5|round(0) }} {{ 1.15|round(1) }} {{ 1.25|round(1) }} {{ 1.35|round(1) }} {{ -2.675|round(2) }} {{ 1e16|round(2) }} {{ 123456.789|round(-3) }} {{ 5|round(-1) }} {{ 15|round(-1) }} {{ 25|round(-1) }} {{ -25|round(-1) }} {{ 0.1|round(20) }} {{ 1.5|round(0, 'floor') }} {{ -1.5|round(0, 'ceil') }} {{ 3|round(1, 'floor') }}", {}),
    ("filter/abs_kinds", "{{ -5|abs }} {{ (-5)|abs }} {{ -5.5|abs }} {{ true|abs }} {{ -0.0|abs }}", {}),
    ("filter/trim_upper_lower", "[{{ '\\t\\n x \\u00a0'|trim }}] [{{ 'abcba'|trim('ab') }}] {{ 'ß'|upper }} {{ 'İ'|lower|length }} {{ 'ǅ'|lower }} {{ 'ǆ'|upper }} {{ 'hello wORLD  x'|capitalize }} {{ 'ǆungla'|capitalize }} {{ none|upper }} {{ missing|upper }}|", {}),
    ("filter/title_cases", "{{ 'hello-world foo_bar(baz)[qux]{x}<y>' |title }} {{ '  lead space'|title }} {{ 'ÉCOLE élève'|title }} {{ \"it's\"|title }} {{ 'a1b2 3c'|title }}", {}),
    ("filter/wordcount_cases", "{{ 'Hello, world!'|wordcount }} {{ ''|wordcount }} {{ 'naïve café 日本語 x_y 42'|wordcount }} {{ 12345|wordcount }}", {}),
    ("filter/replace_cases", "{{ 'a.b.c'|replace('.', '') }} {{ 'aaaa'|replace('aa', 'b') }} {{ 'abc'|replace('b', 'B', 0) }} {{ 'x'|replace('', '_', 1) }} {{ none|replace('N', 'n') }} {{ [1, 2]|replace(',', ';') }}", {}),
    ("filter/indent_cases", "[{{ 'a\\n\\nb\\n'|indent(3) }}] [{{ 'one'|indent(first=true) }}] [{{ 'a\\nb'|indent(width='--', first=true, blank=true) }}] [{{ 'x\\u2028y'|indent(2) }}]", {}),
    ("filter/list_kinds", "{{ s|list }} {{ d|list }} {{ t|list }} {{ range(3)|list }} {{ missing|list }} {{ d.values()|list }}", G),
    ("filter/reverse_kinds", "{{ l|reverse|list }} {{ s|reverse }} {{ t|reverse|list }} {{ d|reverse|list }} {{ l|select('odd')|reverse }} {{ range(3)|reverse|list }}", G),
    ("filter/unique_cases", "{{ ['a', 'A', 'b', 'a']|unique|list }} {{ [1, 1.0, true, 2]|unique|list }} {{ users|unique(attribute='age')|map(attribute='name')|list }} {{ 'hello'|unique|join }}", G),
    ("filter/sort_cases", "{{ users|sort(attribute='age,name')|map(attribute='name')|list }} {{ users|sort(attribute='name', case_sensitive=true)|map(attribute='name')|list }} {{ [[2, 'a'], [1, 'b'], [2, 'A']]|sort }} {{ ['b', 'a']|sort(true) }} {{ [0.5, -1, 3]|sort }} {{ {'b': 1, 'a': 2}|sort }}", G),
    ("filter/dictsort_cases", "{{ {'B': 1, 'a': 2, 'c': 0}|dictsort }} {{ {'B': 1, 'a': 2, 'c': 0}|dictsort(true) }} {{ {'B': 1, 'a': 2, 'c': 0}|dictsort(false, 'value') }} {{ {'B': 1, 'a': 2, 'c': 0}|dictsort(reverse=true) }}", {}),
    ("filter/minmax_cases", "{{ [3, 'x']|min if false else [3, 1]|min }} {{ ['b', 'A', 'C']|min }} {{ ['b', 'A', 'C']|max(case_sensitive=true) }} {{ users|max(attribute='age') }} {{ []|max }}| {{ [2, 2.0]|max }} {{ [2.0, 2]|max }}", G),
    ("filter/sum_cases", "{{ [1, 2.5]|sum }} {{ []|sum }} {{ users|sum(attribute='age') }} {{ [1, 2]|sum(start=10) }} {{ [true, true]|sum }}", G),
    ("filter/map_cases", "{{ users|map(attribute='name')|list }} {{ users|map(attribute='admin')|list }} {{ users|map(attribute='admin', default=false)|list }} {{ l|map('string')|list }} {{ ['1', '2']|map('int')|sum }} {{ [' a ', 'b ']|map('trim')|list }} {{ ['a,b', 'c']|map('replace', ',', '+')|list }} {{ nested.x.y.z|map('string')|list }} {{ missing|map('upper')|list }} {{ []|map('upper')|list }}", G),
    ("filter/select_cases", "{{ l|select('odd')|list }} {{ l|select('even')|list }} {{ l|reject('==', 1)|list }} {{ l|select('in', [1, 2])|list }} {{ users|selectattr('admin')|map(attribute='name')|list }} {{ users|selectattr('age', '==', 31)|map(attribute='name')|list }} {{ users|rejectattr('age', 'lt', 30)|map(attribute='name')|list }} {{ msgs|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }} {{ [none, 0, 'a']|reject('none')|list }} {{ ['a', 1, 'b']|select('string')|list }} {{ [1, 2.0, '3']|select('number')|list }}", G),
    ("filter/items_filter", "{{ d|items|list }} {{ missing|items|list }} {% for k, v in {'x': 1}|items %}{{ k }}{{ v }}{% endfor %}", G),
    ("filter/attr_filter", "{{ d|attr('a') }}|{{ d|attr('items') is defined }}|{{ 'x'|attr('upper') is defined }}|{{ users[0]|attr('name') }}|", G),
    ("filter/batch_slice", "{{ range(7)|batch(3)|list }} {{ range(7)|batch(3, 'x')|list }} {{ range(7)|slice(3)|list }} {{ range(7)|slice(3, 'y')|list }} {{ []|batch(2)|list }}", {}),
    ("filter/center_truncate", "[{{ 'abc'|center(8) }}] [{{ 'abc'|center(2) }}] {{ 'Joel is a slug'|truncate(7) }} {{ 'Joel is a slug'|truncate(7, true, '…', 0) }} {{ ('x' * 300)|truncate }}|", {}),
    ("filter/format_filter", "{{ '%s, %s!'|format('Hello', 'World') }} {{ '%(a)s-%(b)d'|format(a='x', b=2) }} {{ '%.3f'|format(2.0 / 3) }} {{ '%5.2f%%'|format(12.345) }} {{ '%e'|format(12345.678) }} {{ '%g|%g'|format(0.00001234, 1234567.0) }} {{ '%c%c'|format(65, 'b') }} {{ '%+d % d'|format(5, 5) }} {{ '%o %X %#x'|format(8, 255, 255) }}", {}),
    ("filter/escape_safe", "{{ '<&>\"\\''|e }} {{ '<a>'|safe }} {{ ('<a>'|safe)|e }} {{ ('<a>'|e)|safe }} {{ none|e }} {{ 3|safe }} {{ ('<a>'|e) ~ '<b>' }} {{ ('<a>'|e) + '<b>' }} {{ ('x'|safe).split('x') }} {{ ('a b'|safe).title() }} {{ ('ab'|safe)[::-1] }} {{ ('<'|safe)|upper }} {{ ('<'|safe)|trim }} {{ ['<'|safe]|join }} {{ (' <x> '|safe)|indent(2, true) }}", {}),
    ("filter/string_of_markup", "{{ ('<a>'|safe)|string + '<' }} {{ ('<a>'|safe)|replace('a', '<') }}", {}),
    ("filter/tojson_cases", "{{ d|tojson }} {{ nested|tojson(indent=2) }} {{ t|tojson }} {{ [f, 1e100, -0.0, 1e-7]|tojson }} {{ s|tojson }} {{ s|tojson(ensure_ascii=true) }} {{ {'z': 1, 'a': {'c': 1, 'b': 2}}|tojson(sort_keys=true, indent=1) }} {{ [1, [2, [3, []]]]|tojson(indent=2) }} {{ {'k': none}|tojson(separators=(';', '=')) }} {{ '\\u2028\\x1f\\x7f/'|tojson }}", G),
    # tests
    ("test/kinds", "{{ l is sequence }} {{ d is sequence }} {{ s is sequence }} {{ d is mapping }} {{ t is sequence }} {{ 1 is sequence }} {{ none is iterable }} {{ d.keys() is iterable }} {{ range(1) is iterable }} {{ missing is sequence }} {{ missing is callable }} {{ d.get is callable }} {{ namespace is callable }}", G),
    ("test/number_kinds", "{{ 1 is integer }} {{ 1.0 is integer }} {{ true is integer }} {{ 1 is number }} {{ 1.5 is number }} {{ '1' is number }} {{ none is number }} {{ 2 is float }} {{ 2.0 is float }}", {}),
    ("test/divisible", "{{ 10 is divisibleby 5 }} {{ 10 is divisibleby(3) }} {{ 10.0 is divisibleby 2.5 }} {{ -3 is odd }} {{ 0 is even }} {{ 2.0 is even }}", {}),
    ("test/compare_tests", "{{ 2 is gt 1 }} {{ 2 is greaterthan 3 }} {{ 2 is lessthan 3 }} {{ 2 is le 2 }} {{ 2 is ne 3 }} {{ 2 is eq 2 }} {{ 'a' is lt 'b' }} {{ 'a' is ge 'a' }} {{ [1, 2, 3]|select('!=', 2)|list }} {{ [1, 2, 3]|select('<=', 2)|list }}", {}),
    ("test/in_test", "{{ 1 is in l }} {{ 'é' is in s }} {{ 'a' is in d }} {{ 5 is in range(3, 6) }} {{ 7 is in range(3, 6) }}", G),
    ("test/lower_upper", "{{ 'abc' is lower }} {{ 'abc1' is lower }} {{ '123' is lower }} {{ 'ABC' is upper }} {{ 'ǅ' is upper }} {{ 'ΑΒΓ' is upper }} {{ none is lower }}", {}),
    ("test/not_is", "{{ 1 is not string }} {{ not 1 is string }} {{ missing is not defined }} {{ 'x' is not in 'abc' }}", {}),
    ("test/true_false", "{{ 1 is true }} {{ true is true }} {{ 0 is false }} {{ false is false }} {{ none is false }} {{ true is boolean }}", {}),
    ("test/escaped_and_sameas", "{{ ('x'|safe) is escaped }} {{ 'x' is escaped }} {{ none is sameas none }} {{ true is sameas true }} {{ false is sameas none }}", {}),
    # methods
    ("method/strip_family", "[{{ '  a b  '.strip() }}] [{{ '\\n\\ta\\u3000'.strip() }}] [{{ 'xyaxy'.strip('xy') }}] [{{ 'xyaxy'.lstrip('x') }}] [{{ 'xyaxy'.rstrip('y') }}] [{{ 'aaa'.strip('a') }}] [{{ 'ab'.strip('') }}] [{{ '  x'.lstrip(none) }}]", {}),
    ("method/split_family", "{{ 'a  b\\tc\\n'.split() }} {{ ''.split() }} {{ ''.split(',') }} {{ 'a,,b'.split(',') }} {{ 'a,b,c'.split(',', 0) }} {{ 'a,b,c'.split(',', -1) }} {{ 'a b c'.split(maxsplit=1) }} {{ 'a b c'.rsplit(maxsplit=1) }} {{ 'a<br>b<br>c'.split('<br>') }} {{ 'x</think>y</think>z'.split('</think>')[-1] }} {{ 'no tag'.split('</think>')[-1] }} {{ 'é|😀|e\\u0301'.split('|') }} {{ '  a b  '.split(' ') }}", {}),
    ("method/splitlines", "{{ 'a\\nb\\r\\nc\\rd\\x0be\\x0cf\\x1cg\\x85h\\u2028i'.splitlines() }} {{ 'a\\n\\n'.splitlines() }} {{ 'a\\nb'.splitlines(true) }} {{ ''.splitlines() }}", {}),
    ("method/case", "{{ 'hello WORLD'.upper() }} {{ 'ÀÉÎ'.lower() }} {{ \"they're bill's friends from the UK\".title() }} {{ 'hELLO'.capitalize() }} {{ 'ΣΑΣ ΟΔΟΣ'.lower() }} {{ 'ΣΑ Σ'.lower() }} {{ 'ﬁ'.upper() }} {{ 'Hello'.swapcase() }} {{ 'a1b2'.title() }}", {}),
    ("method/find_count", "{{ 'héllo'.find('l') }} {{ 'héllo'.rfind('l') }} {{ 'héllo'.find('l', 4) }} {{ 'héllo'.find('') }} {{ 'héllo'.count('l') }} {{ 'héllo'.count('') }} {{ 'aaaa'.count('aa') }} {{ 'abc'.index('c') }} {{ 'abcabc'.find('c', -2) }} {{ '😀a😀'.rfind('😀') }}", {}),
    ("method/starts_ends", "{{ 'abc'.startswith('') }} {{ 'abc'.startswith('b', 1) }} {{ 'abc'.endswith(('x', 'c')) }} {{ 'abc'.endswith('b', 0, 2) }} {{ 'é'.startswith('e') }} {{ 'e\\u0301'.startswith('e') }}", {}),
    ("method/replace_join", "{{ 'aaa'.replace('a', 'bb', 2) }} {{ 'abc'.replace('', '.') }} {{ ', '.join(['x', 'y', 'z']) }} {{ ''.join(s) }} {{ '-'.join(d) }} {{ 'x'.join([]) }}", G),
    ("method/pad", "[{{ 'ab'.center(6, '*') }}] [{{ 'ab'.center(5) }}] [{{ 'abc'.center(6) }}] [{{ 'ab'.ljust(4, '.') }}] [{{ 'ab'.rjust(4) }}] [{{ '7'.zfill(3) }}] [{{ '+7'.zfill(4) }}] [{{ 'abc'.zfill(2) }}]", {}),
    ("method/partition_affix", "{{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }} {{ 'abc'.partition('x') }} {{ 'abc'.rpartition('x') }} {{ 'prefix-x'.removeprefix('prefix-') }} {{ 'x.txt'.removesuffix('.txt') }} {{ 'x'.removesuffix('') }}", {}),
    ("method/predicates", "{{ '123'.isdigit() }} {{ '١٢٣'.isdigit() }} {{ '½'.isnumeric() }} {{ '½'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'ab1'.isalnum() }} {{ ' \\t'.isspace() }} {{ ''.isspace() }} {{ 'abc'.islower() }} {{ 'ABC'.isupper() }} {{ 'é'.isascii() }} {{ '²'.isdecimal() }}", {}),
    ("method/format", "{{ '{} and {}'.format(1, 'b') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{x}!'.format(x=none) }} {{ '{{literal}}'.format() }} {{ '{!r}'.format('q') }} {{ '[{:>5}] [{:<4}] [{:^7}] [{:*^7}] [{:.2}]'.format('ab', 'cd', 'ef', 'gh', 'ijkl') }}", {}),
    ("method/percent", "{{ '%s' % none }} {{ '%s|%s' % ('a', 1.5) }} {{ '%r' % 'x' }} {{ '%d%%' % 50 }} {{ '%5s|%-5s|' % ('a', 'b') }} {{ '%.2s' % 'abc' }} {{ '%(k)s' % {'k': 'v'} }} {{ '%s' % [1, 2] }} {{ '%s' % {'a': 1} }} {{ '%i' % 3.9 }} {{ '%03d' % -5 }} {{ '%.1e' % 0.000123 }} {{ '%x' % 255 }}", {}),
    ("method/dict_methods", "{{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 0) }} {{ d.get('zz', default=9) if false else d.get('zz', 9) }} {{ d.keys() }} {{ d.values()|list|length }} {{ d.items()|first }} {{ d.copy() }} {{ 'a' in d.keys() }} {{ d.keys()|length }}", G),
    ("method/list_methods", "{{ l.index(1) }} {{ l.count(3) }} {{ l.copy() }} {{ t.index('a') }} {{ t.count(1) }} {{ [1, 2, 1].index(1, 1) }}", G),
    ("method/loop_cycle_changed", "{% for i in range(5) %}{{ loop.cycle('a', 'b', 'c') }}{{ loop.changed(i > 2) }} {% endfor %}", {}),
    # namespaces, dict(), range()
    ("builtin/namespace_forms", "{% set ns = namespace(d) %}{{ ns.a }} {{ ns.items }}|{% set ns2 = namespace(ns_attr=1) %}{% set ns2.ns_attr = ns2.ns_attr + 1 %}{{ ns2.ns_attr }} {% set ns3 = namespace() %}{% set ns3.x = 'y' %}{{ ns3 }}", G),
    ("builtin/dict_range", "{{ dict(a=1) }} {{ dict({'b': 2}, c=3) }} {{ dict([['k', 'v'], ('k2', 'v2')]) }} {{ range(0) }} {{ range(2, 8, 2) }} {{ range(5, 0, -1)|list }} {{ range(3)[1:] }} {{ range(10)[::-3]|list }} {{ range(3) == range(0, 3) }}", {}),
    ("builtin/range_loop", "{% for i in range(1, 4) %}{{ i }}{{ loop.revindex }}{% endfor %} {% for i in range(3, 0) %}x{% else %}empty{% endfor %}", {}),
    # strftime_now and raise_exception as globals
    ("global/strftime", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S.%f') }}|{{ strftime_now('%A %B %j %U %W %V %G %u %w %y %C %e %I %p %P %k %l %D %F %R %T %x %X %c %%') }}|{{ strftime_now('%-d/%-m %_H %^a %Z%z') }}", {}),
    ("global/raise_in_branch", "{% if false %}{{ raise_exception('no') }}{% endif %}ok", {}),
    # the {% generation %} tag and misc statements
    ("stmt/generation", "{% for m in msgs %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}|{% endfor %}", G),
    ("stmt/print", "{% print 'a', 1 %}{% print l %}", G),
    ("stmt/set_tuple_unpack", "{% set a, b = 'xy' %}{{ a }}{{ b }} {% set (c, d), e = [(1, 2), 3] %}{{ c }}{{ d }}{{ e }}", {}),
    ("stmt/for_unpack_string_pairs", "{% for a, b in ['xy', 'zw'] %}{{ a }}{{ b }}{% endfor %} {% for k, v in d|dictsort %}{{ k }}{% endfor %}", G),
    ("stmt/for_dict_iterates_keys", "{% for k in d %}{{ k }},{% endfor %}", G),
    ("stmt/for_over_string", "{% for ch in 'a😀é' %}[{{ ch }}]{% endfor %}", {}),
    ("stmt/for_over_generator_once", "{% set g = l|select('odd') %}{{ g|list }}{{ g|list }} {% set r = l|reverse %}{{ r|first }}{{ r|list }}", G),
    ("stmt/if_elif_else", "{% for x in [0, 1, 2, 3] %}{% if x == 0 %}zero{% elif x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %} {% endfor %}", {}),
    ("stmt/if_tuple_test", "{% if 1, 2 %}tuple-truthy{% endif %} {% if () %}x{% else %}empty-tuple-falsy{% endif %}", {}),
    ("stmt/call_block_args", "{% macro lst(items) %}<ul>{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}</ul>{% endmacro %}{% call(item, idx) lst(['a', 'b']) %}<li>{{ idx }}{{ item }}</li>{% endcall %}", {}),
    ("stmt/filter_block_args", "{% filter replace('a', 'o') %}banana{% endfilter %} {% filter trim|upper %}  x  {% endfilter %}", {}),
    ("stmt/set_block_filter", "{% set v | trim | replace(' ', '_') %}  a b c  {% endset %}[{{ v }}]", {}),
    ("stmt/colon_after_tag", "{% for i in l: %}{{ i }}{% endfor %}{% if true: %}T{% endif %}", G),
    ("stmt/recursive_loop_depth", "{% for n in [{'v': 1, 'c': [{'v': 2, 'c': [{'v': 3, 'c': []}]}]}] recursive %}{{ n.v }}@{{ loop.depth }}/{{ loop.depth0 }}{{ loop(n.c) }}{% endfor %}", {}),
    # chat-template idioms
    ("idiom/system_extraction", "{% if msgs[0]['role'] == 'system' %}{% set system_message = msgs[0]['content'] %}{% set loop_messages = msgs[1:] %}{% else %}{% set loop_messages = msgs %}{% endif %}{{ system_message }}|{% for m in loop_messages %}{{ m.role[0] }}{% endfor %}", G),
    ("idiom/think_strip", "{% for m in msgs %}{% set c = m.content %}{% if '</think>' in c %}{% set c = c.split('</think>')[-1].lstrip('\\n') %}{% endif %}{{ c }};{% endfor %}", G),
    ("idiom/alternation_check", "{% for m in msgs[1:] %}{% if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('roles must alternate') }}{% endif %}{% endfor %}ok", G),
    ("idiom/last_user_index", "{% set ns = namespace(last=-1) %}{% for m in msgs %}{% if m.role == 'user' %}{% set ns.last = loop.index0 %}{% endif %}{% endfor %}{{ ns.last }}", G),
    ("idiom/content_is_string", "{% for m in msgs %}{% if m.content is string %}S{% else %}{% for c in m.content %}{{ c.type }}{% endfor %}{% endif %}{% endfor %}", G),
    ("idiom/tojson_tools", "{% for t in users %}{{ t|tojson }}\n{% endfor %}", G),
    ("idiom/message_equality", "{% set last_user = msgs|selectattr('role', 'equalto', 'user')|list|last %}{% for m in msgs %}{{ m == last_user }}{% endfor %}", G),
    # more scoping, undefined handling and odd corners
    ("scope/if_in_loop_reads_outer", "{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% if i == 2 %}{% set x = 5 %}{% endif %}{{ x }};{% endfor %}{{ x }}", {}),
    ("scope/loop_var_shadows_global", "{% for l in [7] %}{{ l }}{% endfor %}{{ l }}", G),
    ("scope/nested_loop_set", "{% for i in [1, 2] %}{% set a = i %}{% for j in [1] %}{% set a = a * 10 %}{{ a }}{% endfor %}{{ a }};{% endfor %}", {}),
    ("scope/set_in_macro_not_leaking", "{% macro m() %}{% set z = 1 %}{{ z }}{% endmacro %}{{ m() }}[{{ z }}]", {}),
    ("scope/macro_cannot_see_caller_locals", "{% macro m() %}[{{ y }}]{% endmacro %}{% for y in [1] %}{{ m() }}{% endfor %}", {}),
    ("scope/macro_defined_in_loop", "{% for i in [1, 2] %}{% macro m() %}{{ i }}{% endmacro %}{{ m() }}{% endfor %}", {}),
    ("scope/global_read_then_set", "{{ s }}|{% set s = 'local' %}{{ s }}", G),
    ("scope/set_from_itself", "{% set l = l + [4] %}{{ l }}", G),
    ("scope/with_in_loop", "{% for i in [1, 2] %}{% with j = i * 2 %}{{ j }}{% endwith %}{% endfor %}", {}),
    ("scope/ns_in_macro", "{% set ns = namespace(n=0) %}{% macro bump() %}{% set ns.n = ns.n + 1 %}{% endmacro %}{{ bump() }}{{ bump() }}{{ ns.n }}", {}),
    ("scope/loop_else_all_continue", "{% for i in [1, 2] %}{% continue %}{% else %}else-ran{% endfor %}", {}),
    ("scope/loop_else_filtered_empty", "{% for i in [1, 3] if i is even %}{{ i }}{% else %}no-evens{% endfor %}", {}),
    ("scope/loop_target_unpack_in_filter", "{% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}{% endfor %}", {}),
    ("scope/caller_with_default_param", "{% macro m() %}{{ caller() }}|{{ caller('x') }}{% endmacro %}{% call(p='d') m() %}{{ p }}{% endcall %}", {}),
    ("undef/filters_on_undefined", "[{{ missing|trim }}][{{ missing|upper }}][{{ missing|list }}][{{ missing|join }}][{{ missing|sort }}][{{ missing|unique|list }}][{{ missing|reverse|list }}][{{ missing|length }}][{{ missing|string }}][{{ missing|first }}][{{ missing|items|list }}][{{ missing|map('x')|list }}][{{ missing|select|list }}][{{ missing|wordcount }}][{{ missing|title }}][{{ missing|capitalize }}][{{ missing|count }}][{{ missing|e }}][{{ missing|safe }}]", {}),
    ("undef/loop_over_undefined", "{% for x in missing %}x{% else %}none{% endfor %} {% for x in d.zz %}x{% else %}none2{% endfor %}", G),
    ("undef/tests_on_undefined", "{{ missing is string }} {{ missing is none }} {{ missing is mapping }} {{ missing is sequence }} {{ missing is iterable }} {{ missing is number }} {{ missing is lower }}", {}),
    ("undef/in_and_eq", "{{ missing in [1] }} {{ missing in [missing] }} {{ 'a' in missing }} {{ missing == 0 }} {{ missing != missing }}", {}),
    ("undef/concat_and_print", "[{{ missing }}][{{ missing ~ 'x' }}][{{ missing|default }}][{{ missing|d('x') ~ missing }}]", {}),
    ("undef/condition_contexts", "{% if missing %}t{% else %}f{% endif %}{% if not missing %}!{% endif %}{{ 'y' if missing else 'n' }}{{ missing and 1 }}|{{ missing or 2 }}", {}),
    ("bool/arith_with_bools", "{{ true * 3 }} {{ true / 2 }} {{ true ~ 1 }} {{ false - 1 }} {{ true ** 2 }} {{ 5 // true }} {{ -true }} {{ [1, 2][true] }}", {}),
    ("syntax_ok/whitespace_inside_tags", "{%if true%}a{%endif%}{{1+1}}{%-if true-%} b {%-endif-%}{%for x in[1,2]%}{{x}}{%endfor%}", {}),
    ("syntax_ok/newlines_inside_tags", "{% if\n  true\n%}a{% endif\n%}{{\n  'b'\n  ~ 'c'\n}}{% set x = [\n  1,\n  2,\n] %}{{ x }}", {}),
    ("syntax_ok/comment_with_tags_inside", "a{# {{ x }} {% if %} #}b{#\nmulti\nline\n#}c", {}),
    ("syntax_ok/string_with_delimiters", "{{ '}}' }}{{ \"{{\" }}{{ '%}' ~ '{%' }}{% set v = '#}' %}{{ v }}{{ '{#' }}", {}),
    ("syntax_ok/keywords_as_attrs", "{{ d.items()|length }} {% set o = {'if': 1, 'for': 2, 'in': 3, 'not': 4} %}{{ o['if'] }}{{ o.for }}{{ o['in'] }}", G),
    ("syntax_ok/filter_with_dots", "{{ 'x'|upper|lower|upper }} {{ ' y '|trim()|length }}", {}),
    ("syntax_ok/call_trailing_comma", "{{ dict(a=1,) }} {{ range(3,)|list }}", {}),
    ("syntax_ok/subscript_tuple", "{{ {(1, 2): 'pair'}[1, 2] }}", {}),
    ("syntax_ok/is_test_arg_forms", "{{ 3 is divisibleby 3 and true }} {{ 'a' is in ['a'] }} {{ 4 is gt 3 or false }} {{ 1 is eq(1) }}", {}),
    ("syntax_ok/unicode_identifiers", "{% set café = 'ok' %}{{ café }} {% set π = 3.14 %}{{ π }}", {}),
    ("syntax_ok/deep_nesting", "{{ [[[[[[1]]]]]] }} {{ ((((1)))) }} {{ {'a': {'b': {'c': {'d': [1, {'e': 'f'}]}}}}['a']['b']['c']['d'][1]['e'] }}", {}),
    ("print/float_repr_sweep", "{% for x in [1.1, 2.2, 3.3, 0.1 * 3, 1e21, 1e-4, 9.999999999999999e-5, 123456789012345678.0, 1.0e15 + 0.3, 4.35, 0.07, 100.0 / 3, 2 ** 53 + 1.0, 5e-310] %}{{ x }} {% endfor %}", {}),
    ("print/int_float_mix", "{{ 3 + 0.0 }} {{ 3 * 1.0 }} {{ 10 / 5 }} {{ 2 ** 0.0 }} {{ 7.0 // 2 }} {{ -7.0 % 3 }} {{ 1e308 + 1e308 }} {{ -(1e308 * 10) }} {{ (1e308 * 10) - (1e308 * 10) }}", {}),
    # jinja2's compile-time constant folding (as_const) and its code-generation quirks
    ("fold/constant_slices_are_lenient", "[{{ (7)[1:] }}] [{{ ((7)[1:]) is defined }}] [{{ [(7)[:-1]] }}] [{{ {'a': 1}[1:] }}] [{{ (none)[::2] ~ 'x' }}]", {}),
    ("fold/lazy_and_or", "{{ -((7) or (missing)) }} {{ (0 and missing) ~ '!' }} {{ ('a' if true else missing)|upper }}", {}),
    ("fold/negative_constant_base_of_pow", "{{ (-2) ** x }} {{ -2 ** x }} {{ (0 - 3) ** x }} {{ (-2) ** 2 }} {{ (-2.5) ** x }} {{ (-x) ** 2 }} {{ 2 ** -x }}", {"x": 2}),
    ("fold/folded_filters_and_tests", "{{ [3, 1, 2]|sort|first }} {{ 'a b'|title ~ ('x' is string) }} {{ {'k': [1]}|tojson }} {{ (1, 2)|list }}", {}),
    ("markup/percent_format", "{{ ('<%s>'|safe) % '<i>' }} {{ ('%s|%r|%d'|safe) % ('<a>', '<b>', 3) }} {{ ('%s'|safe) % ('<a>'|safe) }} {{ ('%(k)s'|safe) % {'k': '&'} }}", {}),
    ("op/percent_with_list_and_undefined", "{{ 'x' % [] }} {{ '%s' % [1, 2] }} {{ 'y' % missing }} {{ '%s|' % missing }} {{ 'z' % {'a': 1} }} {{ 'r' % range(2) }}", {}),
    # jinja2's static scoping: per-scope symbol tables, closures over enclosing variables, lazy loop filters
    ("static/toplevel_store_hides_global_in_macro", "{% macro m() %}[{{ a }}]{% endmacro %}{{ m() }}{% set a = 'T' %}{{ m() }}", {"a": "g"}),
    ("static/toplevel_store_hides_global_in_loop", "{% for i in [1] %}[{{ a }}]{% endfor %}{% set a = 'T' %}{{ a }}", {"a": "g"}),
    ("static/toplevel_read_before_store_sees_global", "{{ a }}{% set a = 'T' %}{{ a }}", {"a": "g"}),
    ("static/set_block_reads_later_store", "{% set c %}[{{ a }}]{% endset %}{% set a = 'T' %}{{ c }}", {"a": "g"}),
    ("static/macro_local_aliases_outer", "{% macro m() %}[{{ a }}{% set a = 'M' %}{{ a }}]{% endmacro %}{{ m() }}{% set a = 'T' %}{{ m() }}", {"a": "g"}),
    ("static/macro_local_resolves_global", "{% macro m() %}[{{ a }}{% set a = 'M' %}{{ a }}]{% endmacro %}{{ m() }}", {"a": "g"}),
    ("static/macro_defined_in_loop_is_a_closure", "{% for i in [1, 2] %}{% set a = 'L' ~ i %}{% macro m() %}{{ a }}{% endmacro %}{{ m() }}{% set a = 'X' %}{{ m() }};{% endfor %}", {"a": "g"}),
    ("static/conditional_store_resolves_from_context", "{% for i in [1] %}{% if false %}{% set a = 'x' %}{% endif %}[{{ a }}]{% endfor %}{% macro m() %}{% if false %}{% set a = 'x' %}{% endif %}[{{ a }}]{% endmacro %}{% set a = 'T' %}{{ m() }}", {"a": "g"}),
    ("static/with_and_filter_blocks_are_scopes", "{% with a = 1 %}{% set c = a %}{% endwith %}[{{ c }}]{% filter upper %}{% set c = 'f' %}{% endfilter %}[{{ c }}]{% set a = 1 %}{% with a = a + 1 %}{{ a }}{% endwith %}{{ a }}", {}),
    ("static/break_in_for_else_acts_on_outer_loop", "{% for i in [1, 2, 3] %}{% for j in [] %}{% else %}{{ i }}{% break %}{% endfor %}{% endfor %}|{% for i in [1, 2] %}{% for j in [] %}{% else %}{% continue %}{% endfor %}x{% endfor %}", {}),
    ("static/loop_filter_is_lazy", "{% set ns = namespace(n=0) %}{% for i in [1, 2, 3, 4] if ns.n < 2 %}{% set ns.n = ns.n + 1 %}{{ i }}{% endfor %}|{% set ns2 = namespace(n=0) %}{% for i in [1, 2, 3, 4] if ns2.n < 2 %}{{ loop.length }}{% set ns2.n = ns2.n + 1 %}{{ i }}{% endfor %}|{% set ns3 = namespace(n=0) %}{% for i in [1, 2, 3, 4] if ns3.n < 2 %}{{ loop.last }}{% set ns3.n = ns3.n + 1 %}{% endfor %}", {}),
    ("static/caller_scope", "{% macro w(v) %}{{ caller(v) }}{{ a }}{% endmacro %}{% call(x) w(1) %}({{ x }}{{ a }}{% set a = 'C' %}{{ a }}){% endcall %}{{ a }}", {"a": "g"}),
    # runtime errors (recorded as raised)
    ("err/raise_exception", "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}", {}),
    ("err/raise_exception_in_loop", "a{% for m in msgs %}{% if m.role == 'assistant' %}{{ raise_exception('Assistant at ' ~ loop.index) }}{% endif %}{% endfor %}", G),
    ("err/undefined_attr_of_undefined", "{{ missing.attr }}", {}),
    ("err/undefined_item_of_undefined", "{{ missing[0] }}", {}),
    ("err/undefined_from_dict_chain", "{{ d.zz.b }}", G),
    ("err/undefined_call", "{{ missing() }}", {}),
    ("err/undefined_arith", "{{ missing + 1 }}", {}),
    ("err/undefined_compare", "{{ missing < 1 }}", {}),
    ("err/undefined_int_filter", "{{ missing|int }}", {}),
    ("err/undefined_tojson", "{{ missing|tojson }}", {}),
    ("err/empty_messages_index", "{{ msgs[9]['content'] }}", G),
    ("err/type_add", "{{ 'a' + 1 }}", {}),
    ("err/concat_binds_tighter_than_plus", "{{ 'a' ~ 1 + 2 }}", {}),
    ("err/type_add_list_tuple", "{{ [1] + (2,) }}", {}),
    ("err/type_compare", "{{ 1 < 'a' }}", {}),
    ("err/type_sort_mixed", "{{ [1, 'a']|sort }}", {}),
    ("err/type_not_iterable", "{% for x in 5 %}{% endfor %}", {}),
    ("err/type_none_iterable", "{% for x in n %}{% endfor %}", G),
    ("err/type_in_string", "{{ 1 in 'abc' }}", {}),
    ("err/type_len", "{{ 5|length }}", {}),
    ("err/type_not_callable", "{{ s() }}", G),
    ("err/zero_division", "{{ 1 / 0 }}", {}),
    ("err/zero_floordiv", "{{ 1 // 0 }}", {}),
    ("err/zero_mod_float", "{{ 1.5 % 0 }}", {}),
    ("err/unknown_filter", "{{ 'x'|nosuchfilter }}", {}),
    ("filter/unknown_filter_in_branch_not_taken", "{% if false %}{{ 'x'|nosuchfilter }}{% endif %}fine", {}),
    ("err/unknown_test", "{{ 1 is nosuchtest }}", {}),
    ("err/mutating_method", "{{ l.append(4) }}", G),
    ("err/mutating_dict_method", "{{ d.update({'x': 1}) }}", G),
    ("err/pop", "{{ l.pop() }}", G),
    ("err/unpack_count", "{% for a, b in [(1, 2, 3)] %}{% endfor %}", {}),
    ("err/unpack_too_few", "{% set a, b = [1] %}", {}),
    ("err/ns_assign_non_namespace", "{% set x = 1 %}{% set x.y = 2 %}", {}),
    ("err/macro_too_many_args", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", {}),
    ("err/macro_unknown_kwarg", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}", {}),
    ("err/range_too_big", "{{ range(200000)|length }}", {}),
    ("err/range_step_zero", "{{ range(1, 2, 0) }}", {}),
    ("err/slice_step_zero", "{{ l[::0] }}", G),
    ("err/split_empty_sep", "{{ 'a'.split('') }}", {}),
    ("err/str_index_missing", "{{ 'abc'.index('z') }}", {}),
    ("err/dictsort_list", "{{ l|dictsort }}", G),
    ("err/items_list", "{{ l|items|list }}", G),
    ("err/tojson_bad_key", "{{ {(1, 2): 'v'}|tojson }}", {}),
    ("err/unhashable_key", "{{ {[1]: 2} }}", {}),
    ("err/loop_not_recursive", "{% for i in l %}{{ loop([1]) }}{% endfor %}", G),
    ("err/cycle_no_args", "{% for i in l %}{{ loop.cycle() }}{% endfor %}", G),
    ("err/percent_not_all_converted", "{{ '%s' % (1, 2) }}", {}),
    ("err/join_non_str", "{{ ', '.join([1, 2]) }}", {}),
    ("err/neg_string", "{{ -'a' }}", {}),
    ("err/pow_float_overflow", "{{ 10.0 ** 400 }}", {}),
    ("err/first_on_int", "{{ 5|first }}", {}),
    ("err/runtime_slice_of_int", "{{ x[1:] }}", {"x": 5}),
    ("err/runtime_slice_of_dict", "{{ d[1:] }}", G),
    ("err/folding_keeps_unsafe_slice_at_runtime", "{% set y = (7)[:-1] %}", {}),
    ("err/indent_non_string", "{{ 5|indent }}", {}),
    ("err/truncate_int", "{{ 5|truncate(2) }}", {}),
    ("err/percent_not_all_converted_int", "{{ 'x' % 5 }}", {}),
    ("err/last_on_generator", "{{ l|select('odd')|last }}", G),
    # syntax errors
    ("syntax/unclosed_if", "{% if true %}x", {}),
    ("syntax/unclosed_for", "line1\n{% for x in l %}\n{{ x }}", {}),
    ("syntax/unknown_tag", "{% foo %}", {}),
    ("syntax/unexpected_endfor", "{% if true %}{% endfor %}", {}),
    ("syntax/do_tag_not_enabled", "{% do l.append(1) %}", {}),
    ("syntax/unclosed_variable", "a {{ b", {}),
    ("syntax/unclosed_comment", "a {# b", {}),
    ("syntax/unclosed_raw", "{% raw %} never ends", {}),
    ("syntax/unclosed_string", "{{ 'abc }}", {}),
    ("syntax/bad_char", "{{ a $ b }}", {}),
    ("syntax/unbalanced_paren", "{{ (1 }}", {}),
    ("syntax/mismatched_brackets", "{{ [1) }}", {}),
    ("syntax/extra_closing", "{{ 1) }}", {}),
    ("syntax/empty_expression", "{{ }}", {}),
    ("syntax/missing_operand", "{{ 1 + }}", {}),
    ("syntax/bad_assign_target", "{% set 1 = 2 %}", {}),
    ("syntax/break_outside_loop", "{% break %}", {}),
    ("syntax/continue_in_macro_outside_loop", "{% for i in l %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}", {}),
    ("syntax/non_default_after_default", "{% macro m(a=1, b) %}{% endmacro %}", {}),
    ("syntax/chained_is", "{{ 1 is number is number }}", {}),
    ("syntax/else_without_if", "{% else %}", {}),
    ("syntax/elif_after_else", "{% if a %}{% else %}{% elif b %}{% endif %}", {}),
    ("syntax/endif_extra_token", "{% if a %}{% endif a %}", {}),
    ("syntax/truncated_hex_escape", "{{ '\\x4' }}", {}),
    ("syntax/call_block_without_call", "{% call foo %}{% endcall %}", {}),
    ("syntax/invalid_call_args", "{{ f(a=1, 2) }}", {}),
    ("syntax/dot_then_nothing", "{{ a. }}", {}),
    ("syntax/line_numbers", "line 1\nline 2 {{ ok }}\nline 3 {% if %}\n", {}),
    ("syntax/include_unsupported_is_still_an_error", "{% include 'x.html' %}", {}),
]


def plain_cases(env):
    cases = []
    seen = set()
    for case_id, source, variables in PLAIN:
        if case_id in seen:
            raise SystemExit(f"duplicate id {case_id}")
        seen.add(case_id)
        case = {"id": "plain/" + case_id, "source": source, "globals": tag(variables)}
        case.update(render(env, source, variables))
        cases.append(case)
    return cases


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(root, "Tests/Fixtures/chat_templates"))
    args = parser.parse_args()
    env = make_env()
    cases = chat_cases(env, args.out) + plain_cases(env)
    golden = {
        "generator": "scripts/chat_templates/make_goldens.py",
        "jinja2": jinja2.__version__,
        "python": sys.version.split()[0],
        "now": {"iso": NOW.isoformat(), "epoch": NOW_EPOCH},
        "conversations": {k: [[r, c] for r, c in v] for k, v in CONVERSATIONS.items()},
        "cases": cases,
    }
    path = os.path.join(args.out, "goldens.json")
    # one case per line: compact, and a regenerated file diffs case by case
    head = {k: v for k, v in golden.items() if k != "cases"}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    errors = sum(1 for c in cases if "error" in c)
    print(f"wrote {path}: {len(cases)} cases ({errors} raising)")


if __name__ == "__main__":
    main()
