"""The fast located loader (libyaml events) gives exactly what the node-based builder gives:
the same values, the same line of every key and item, the same errors."""

from __future__ import annotations

import pytest

from drillsim.model import ScenarioError, yamlio
from drillsim.model.generator import dump_yaml, generate_ecosystem

CASES = {
    "nested": "x:\n  y:\n    - {a: 1, b: [2, 3]}\n    - - 4\n      - 5\n",
    "scalars": "a: '1'\nb: \"true\"\nc: 1\nd: 1e3\ne: 0x1f\nf: yes\ng: ~\nh: 1.5\ni: 2025-09-26T20:15:00+09:00\nj: 2025-01-01\nk:\n",
    "anchors": "a: &x [1, 2]\nb: *x\nc:\n  - *x\n  - &y q\n  - *y\n",
    "recursive": "a: &r\n  - 1\n  - *r\n",
    "unicode": "name: 정부24\nlist: [\"a\\\"b\", 'c''d']\n",
    "keys": "1: a\ntrue: b\n~: c\n",
    "merge": "base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  c: 3\n",
    "merge-override": "base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  a: 3\n",
    "merge-after-own-keys": "base: &b {a: 1}\nx: {c: 0, <<: *b}\n",
    "merge-list": "b1: &b1 {a: 1}\nb2: &b2 {b: 2, a: 5}\nx:\n  <<: [*b1, *b2]\n  c: 3\n",
    "merge-inline": "x:\n  <<: {a: 1, b: 2}\n  b: 3\n",
    "merge-nested": "b0: &b0 {z: 0}\nb1: &b1 {<<: *b0, a: 1}\nx:\n  <<: *b1\n  a: 2\n",
    "merge-twice": "b1: &b1 {a: 1}\nb2: &b2 {a: 2, q: 1}\nx:\n  <<: *b1\n  <<: *b2\n",
    "merge-then-duplicate": "base: &b {a: 1}\nx:\n  <<: *b\n  c: 1\n  c: 2\n",
    "merge-scalar": "x:\n  <<: 5\n",
    "merge-list-of-scalars": "x:\n  <<: [1, 2]\n",
    "merge-key-as-value": "x: <<\n",
    "str-tag": "a: !!str 5\n",
    "empty": "",
    "comment": "# nothing\n",
    "empty-document": "---\n",
    "scalar-root": "hello\n",
    "list-root": "- 1\n- a\n",
    # errors
    "duplicate": "a: 1\nb: 2\na: 3\n",
    "object-tag": "a: !!python/object:os.system x\n",
    "object-tag-map": "a: !!python/object:foo {x: 1}\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "unclosed": "a: [1, 2\nb: 3\n",
    "bad-mapping": "a: b: c\n",
    "date-key": "2025-01-01: x\n",
    "complex-key": "? [a, b]\n: c\n",
    "undefined-alias": "a: *nope\n",
    "tab": "a:\n\t- 1\n",
}


def _shape(value, seen=()):
    """Values, types and locations, recursively (cycles cut)."""
    if id(value) in seen:
        return "<cycle>"
    if isinstance(value, dict):
        seen = (*seen, id(value))
        return ("map", value.loc, [(k, _shape(v, seen), value.locs.get(k)) for k, v in value.items()])
    if isinstance(value, list):
        seen = (*seen, id(value))
        return ("seq", value.loc, [_shape(v, seen) for v in value], list(value.locs))
    return (type(value).__name__, repr(value))


def _outcome(loader, text):
    try:
        return "ok", _shape(loader(text, "f.yaml"))
    except ScenarioError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_matches_node_builder(name):
    text = CASES[name]
    assert _outcome(yamlio.loads_yaml, text) == _outcome(yamlio._loads_yaml_nodes, text)


def test_fast_path_is_taken_for_plain_documents_and_keeps_lines():
    text = "a: 1\nb:\n  - x\n  - {c: 2}\n"
    data = yamlio._fast_load(text, "f.yaml")
    assert data.locs["b"].line == 2 and data["b"].locs[1].line == 4 and data["b"][1].loc.line == 4
    with pytest.raises(yamlio._Unusual):
        yamlio._fast_load("a: !!python/object:x {}\n", "f.yaml")


def test_merge_keys_follow_yaml_keys_beside_them_override():
    data = yamlio.loads_yaml(CASES["merge-override"], "f.yaml")
    assert data["x"] == {"a": 3, "b": 2} and list(data["x"]) == ["a", "b"]
    assert data["x"].locs["a"].line == 4 and data["x"].locs["b"].line == 1
    listed = yamlio.loads_yaml(CASES["merge-list"], "f.yaml")
    assert listed["x"] == {"a": 1, "b": 2, "c": 3}  # of several merged mappings, the first listed wins
    with pytest.raises(ScenarioError, match=r"f.yaml:5: duplicate key 'c' \(first at line 4\)"):
        yamlio.loads_yaml(CASES["merge-then-duplicate"], "f.yaml")
    assert yamlio._fast_load(CASES["merge-list"], "f.yaml") == listed  # merges take the fast path


@pytest.mark.parametrize("loader", [yamlio.loads_yaml, yamlio._loads_yaml_nodes])
def test_merge_order_is_ours_not_the_pyyaml_release(loader, monkeypatch):
    """Merged keys come first, in the order the merged mappings are listed, then the own keys.

    PyYAML changed the order of its own ``flatten_mapping`` between 6.0.2 and 6.0.4; neither path
    may depend on it, so it is made to fail here."""
    def refuse(self, node):
        raise AssertionError("flatten_mapping must not be used")

    monkeypatch.setattr(yamlio.yaml.SafeLoader, "flatten_mapping", refuse)
    listed = loader(CASES["merge-list"], "f.yaml")
    assert list(listed["x"].items()) == [("a", 1), ("b", 2), ("c", 3)]
    assert [listed["x"].locs[k].line for k in "abc"] == [1, 2, 5]
    nested = loader(CASES["merge-nested"], "f.yaml")
    assert list(nested["x"].items()) == [("z", 0), ("a", 2)]


def test_two_merge_keys_in_one_mapping_are_a_duplicate_key():
    with pytest.raises(ScenarioError, match=r"f.yaml:5: duplicate key '<<' \(first at line 4\): list the mappings"):
        yamlio.loads_yaml(CASES["merge-twice"], "f.yaml")


def test_errors_keep_their_messages():
    with pytest.raises(ScenarioError, match=r"f.yaml:3: duplicate key 'a' \(first at line 1\)"):
        yamlio.loads_yaml(CASES["duplicate"], "f.yaml")
    with pytest.raises(ScenarioError, match="only plain YAML is allowed"):
        yamlio.loads_yaml(CASES["object-tag"], "f.yaml")


def test_generated_model_loads_the_same_both_ways():
    text = dump_yaml(generate_ecosystem(200, seed=11, fire_inject=True))
    assert _shape(yamlio.loads_yaml(text, "m.yaml")) == _shape(yamlio._loads_yaml_nodes(text, "m.yaml"))
