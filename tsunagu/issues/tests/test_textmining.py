"""The text-mining library: words, KWIC, co-occurrence, drawing, similarity and groups.

Expected values are worked out by hand from the small inputs in each test.
"""

import xml.etree.ElementTree as ET

import pytest

from tsunagu.issues import textmining as tm
from tsunagu.issues.textmining import (
    MAX_TEXT_CHARS,
    Edge,
    Network,
    Node,
    SimilarityIndex,
    TextTooLong,
    analyse,
    candidate_groups,
    check_length,
    cooccurrence,
    frequent_words,
    kwic,
    network_svg,
    tokenize,
)

SVG = "{http://www.w3.org/2000/svg}"


# --- tokenize ---------------------------------------------------------------------------


def test_inflected_forms_become_one_normalised_word():
    assert tokenize("病院に行かなかった")[-1] == tokenize("スーパーへ行って")[-1]
    assert tokenize("病院に行かなかった")[-1] == tokenize("行く")[0] == "行く"


def test_particles_auxiliaries_numerals_and_symbols_are_dropped():
    words = tokenize("５０代の息子が、バス停まで３回行った！")
    assert "息子" in words and "バス停" in words
    for dropped in ("の", "が", "た", "、", "！", "50", "５０", "3", "３", "代", "回"):
        assert dropped not in words


def test_stop_words_from_the_file_are_removed():
    stop = tm.stopwords()
    assert {"為る", "居る", "事", "意見"} <= stop
    words = tokenize("介護のことで相談している。意見があった。")
    assert words == ["介護", "相談"]
    assert not set(words) & stop


def test_full_and_half_width_give_the_same_words():
    assert tokenize("ｺﾐｭﾆﾃｨﾊﾞｽの本数") == tokenize("コミュニティバスの本数")
    assert tokenize("ﾍﾙﾊﾟｰ不足") == ["ヘルパー", "不足"]


def test_spelling_variants_share_a_normal_form():
    assert tokenize("ごみ出し") == tokenize("ゴミ出し")
    assert tokenize("ひきこもり") == tokenize("引きこもり")


def test_personal_names_do_not_become_words():
    assert "田中" not in tokenize("田中さんが相談に来た")


def test_empty_and_symbol_only_texts_have_no_words():
    assert tokenize("") == []
    assert tokenize("、。！？ 　\n") == []


# --- length -----------------------------------------------------------------------------


def test_check_length_allows_the_limit_and_refuses_more():
    check_length("あ" * MAX_TEXT_CHARS)
    check_length(None)
    with pytest.raises(TextTooLong) as caught:
        check_length("あ" * (MAX_TEXT_CHARS + 1))
    assert f"{MAX_TEXT_CHARS + 1:,}文字" in str(caught.value)
    assert f"{MAX_TEXT_CHARS:,}文字以内" in str(caught.value)
    assert caught.value.length == MAX_TEXT_CHARS + 1
    assert isinstance(caught.value, ValueError)


def test_huge_text_without_line_breaks_is_tokenised_in_pieces():
    # 15 characters × 10,000 = 150,000 characters (450 kB): far beyond Sudachi's input limit.
    sentence = "介護保険の申請方法が分からない"
    per_sentence = tokenize(sentence)
    huge = sentence * 10_000
    words = tokenize(huge)
    # A piece boundary may cut a sentence in two, so a few words per piece may change.
    pieces = len(huge) // tm.words._CHUNK_CHARS + 1
    for word in per_sentence:
        assert abs(words.count(word) - 10_000) <= pieces
    assert abs(len(words) - len(per_sentence) * 10_000) <= 3 * pieces


def test_huge_text_with_lines_keeps_kwic_offsets_right():
    text = "\n".join(["介護の相談があった"] * 3000 + ["最後に通院の話が出た"])
    lines = kwic([text], "通院", width=3)
    assert len(lines) == 1
    assert (lines[0].left, lines[0].keyword, lines[0].right) == ("最後に", "通院", "の話が")


def test_similarity_query_refuses_huge_text():
    index = SimilarityIndex([(1, "バス路線の廃止")])
    with pytest.raises(TextTooLong):
        index.query("バス" * MAX_TEXT_CHARS)


# --- frequent words ---------------------------------------------------------------------------


def test_frequent_words_count_occurrences_and_documents():
    texts = ["買い物に行けない。買い物が大変", "買い物支援が必要", "通院"]
    words = {w.word: w for w in frequent_words(texts)}
    # 買い物: twice in the first text, once in the second.
    assert (words["買い物"].count, words["買い物"].documents) == (3, 2)
    assert (words["通院"].count, words["通院"].documents) == (1, 1)
    assert frequent_words(texts)[0].word == "買い物"
    assert len(frequent_words(texts, top=2)) == 2


def test_frequent_words_show_the_written_form_not_sudachis_normal_form():
    texts = ["ゴミ出しが大変", "ゴミ出しの支援", "ごみ出しの日"]
    top = frequent_words(texts)[0]
    assert top.count == 3 and top.documents == 3
    assert top.display == "ゴミ出し"  # two of the three spell it so
    assert top.word == tokenize("ごみ出し")[0]
    assert len(kwic(texts, top.word)) == 3


# --- KWIC -------------------------------------------------------------------------------------


def test_kwic_matches_inflected_forms_and_shows_the_surface_around_them():
    texts = ["昨日は病院に行かなかった", "予定なし", "明日スーパーへ行って買い物"]
    lines = kwic(texts, "行く", width=3)
    assert [(k.left, k.keyword, k.right, k.index) for k in lines] == [
        ("病院に", "行か", "なかっ", 0),
        ("パーへ", "行っ", "て買い", 2),
    ]


def test_kwic_context_is_cut_at_the_text_edges_and_newlines_become_spaces():
    lines = kwic(["通院が\n難しい"], "通院", width=10)
    assert (lines[0].left, lines[0].keyword, lines[0].right) == ("", "通院", "が 難しい")


def test_kwic_finds_a_phrase_of_several_words_and_respects_the_limit():
    texts = ["生活支援が必要", "生活の支援", "生活支援の会議"]
    assert [k.index for k in kwic(texts, "生活支援")] == [0, 2]
    assert len(kwic(["通院と通院と通院"], "通院", limit=2)) == 2
    assert kwic(texts, "") == []
    assert kwic(texts, "災害") == []


# --- co-occurrence ------------------------------------------------------------------------------

JACCARD_TEXTS = [
    "介護と認知症",  # 1
    "介護と認知症と通院",  # 2
    "介護と通院",  # 3
    "認知症と買い物",  # 4
    "買い物と通院",  # 5
]


def test_jaccard_coefficients_match_hand_computation():
    # Documents: 介護 {1,2,3}, 認知症 {1,2,4}, 通院 {2,3,5}, 買い物 {4,5}.
    network = cooccurrence(JACCARD_TEXTS, min_documents=1)
    got = {frozenset((e.source, e.target)): (e.jaccard, e.documents) for e in network.edges}
    assert got == {
        frozenset(("介護", "認知症")): (2 / 4, 2),  # {1,2} / {1,2,3,4}
        frozenset(("介護", "通院")): (2 / 4, 2),  # {2,3} / {1,2,3,5}
        frozenset(("認知症", "通院")): (1 / 5, 1),  # {2} / {1,2,3,4,5}
        frozenset(("認知症", "買い物")): (1 / 4, 1),  # {4} / {1,2,4,5}
        frozenset(("通院", "買い物")): (1 / 4, 1),  # {5} / {2,3,4,5}
    }  # 介護 and 買い物 never meet: no edge.
    assert [e.jaccard for e in network.edges] == sorted(
        (e.jaccard for e in network.edges), reverse=True
    )
    nodes = {n.word: n for n in network.nodes}
    assert (nodes["買い物"].count, nodes["買い物"].documents) == (2, 2)


def test_network_limits_edges_and_words():
    strongest = cooccurrence(JACCARD_TEXTS, min_documents=1, max_edges=2)
    assert {frozenset((e.source, e.target)) for e in strongest.edges} == {
        frozenset(("介護", "認知症")),
        frozenset(("介護", "通院")),
    }
    assert {n.word for n in strongest.nodes} == {"介護", "認知症", "通院"}
    # 買い物 is in only 2 texts: with min_documents=3 it is not a candidate.
    assert "買い物" not in {n.word for n in cooccurrence(JACCARD_TEXTS, min_documents=3).nodes}
    # Only the 2 most widespread words: 介護 (3 texts, first by count and name) and another.
    assert len(cooccurrence(JACCARD_TEXTS, top=2, min_documents=1).nodes) == 2


def test_two_separate_topics_become_two_communities():
    texts = ["介護と認知症"] * 2 + ["買い物と通院"] * 2
    network = cooccurrence(texts)
    community = {n.word: n.community for n in network.nodes}
    assert community["介護"] == community["認知症"]
    assert community["買い物"] == community["通院"]
    assert community["介護"] != community["買い物"]


def test_no_shared_words_gives_an_empty_network():
    network = cooccurrence(["介護", "通院"])
    assert network.nodes == [] and network.edges == []


# --- drawing -------------------------------------------------------------------------------------


def test_network_svg_is_xml_with_a_label_circle_and_line_per_node_and_edge():
    network = cooccurrence(JACCARD_TEXTS, min_documents=1)
    svg = network_svg(network, width=640, height=480)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "640" and root.get("height") == "480"
    assert "IPAexGothic" in root.get("font-family") and "sans-serif" in root.get("font-family")
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert sorted(labels) == sorted(n.label for n in network.nodes)
    assert len(list(root.iter(f"{SVG}circle"))) == len(network.nodes)
    assert len(list(root.iter(f"{SVG}line"))) == len(network.edges)
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cx")) <= 640 and 0 <= float(circle.get("cy")) <= 480


def test_network_svg_sizes_nodes_by_frequency_and_lines_by_jaccard():
    texts = ["介護と認知症"] * 4 + ["介護と通院"]
    network = cooccurrence(texts, min_documents=1)
    root = ET.fromstring(network_svg(network))
    radius = {
        c.find(f"{SVG}title").text.split(":")[0]: float(c.get("r"))
        for c in root.iter(f"{SVG}circle")
    }
    assert radius["介護"] > radius["認知症"] > radius["通院"]  # 5, 4 and 1 occurrences
    widths = {
        line.find(f"{SVG}title").text.split(":")[0]: float(line.get("stroke-width"))
        for line in root.iter(f"{SVG}line")
    }
    assert widths["介護 – 認知症"] > widths["介護 – 通院"]  # Jaccard 4/5 against 1/5


def test_network_svg_is_deterministic_and_self_contained():
    network = cooccurrence(JACCARD_TEXTS, min_documents=1)
    svg = network_svg(network)
    assert svg == network_svg(network)
    assert "<script" not in svg and "<style" not in svg and " style=" not in svg
    assert "href" not in svg and "@import" not in svg and "url(" not in svg


def test_network_svg_escapes_labels():
    nodes = [Node("a", '<b>&"x"', 3, 2, 0), Node("c", "d", 2, 2, 1)]
    network = Network(nodes, [Edge("a", "c", 0.5, 1)])
    svg = network_svg(network)
    assert "<b>" not in svg
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert '<b>&"x"' in labels


def test_empty_network_draws_a_message():
    root = ET.fromstring(network_svg(Network([], [])))
    assert "共起関係を描ける語がありません" in "".join(root.itertext())


# --- analyse ------------------------------------------------------------------------------------


def test_analyse_matches_the_separate_functions_and_reports_progress():
    texts = JACCARD_TEXTS * 3  # 15 texts
    calls = []
    result = analyse(
        texts,
        on_progress=lambda done, total: calls.append((done, total)),
        every=4,
        keep_tokens=True,
        min_documents=1,
    )
    assert result.texts == 15
    assert result.words == frequent_words(texts)
    assert result.network == cooccurrence(texts, min_documents=1)
    assert result.tokens == [tokenize(t) for t in texts]
    assert calls == [(4, 15), (8, 15), (12, 15), (15, 15)]


def test_analyse_reads_a_generator_once():
    calls = []
    result = analyse(
        (t for t in JACCARD_TEXTS), on_progress=lambda d, t: calls.append((d, t)), every=2
    )
    assert result.texts == 5 and result.tokens is None
    assert calls == [(2, None), (4, None), (5, 5)]
    calls.clear()
    analyse(iter(JACCARD_TEXTS), on_progress=lambda d, t: calls.append((d, t)), every=5, total=5)
    assert calls == [(5, 5)]


# --- similarity ---------------------------------------------------------------------------------

ISSUES = [
    ("bus", "路線バスの廃止。バスが減り、通院や買い物に行く交通手段がない。"),
    ("cafe", "認知症カフェ。認知症の人と家族が集える居場所が足りない。"),
    ("garbage", "ゴミ出しの支援。集積所までごみを運べない高齢者がいる。"),
    ("empty", "、。"),
    ("blank", ""),
]


def test_similarity_ranks_the_obviously_related_issue_first():
    index = SimilarityIndex(ISSUES)
    assert index.query("バスがなくなって病院に通院できない")[0][0] == "bus"
    assert index.query("認知症の母と家族の居場所")[0][0] == "cafe"
    assert index.query("ごみを集積所に出せない")[0][0] == "garbage"


def test_similarity_scores_are_ordered_and_an_identical_text_scores_one():
    index = SimilarityIndex(ISSUES)
    results = index.query(ISSUES[0][1], k=5)
    assert results[0] == ("bus", 1.0)
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert {"empty", "blank"}.isdisjoint(key for key, _ in results)


def test_similarity_returns_nothing_for_an_empty_query_or_no_overlap():
    index = SimilarityIndex(ISSUES)
    assert index.query("") == []
    assert index.query("、。のに") == []
    assert index.query("宇宙旅行") == []
    assert SimilarityIndex([]).query("バス") == []


def test_similarity_k_limits_the_suggestions():
    index = SimilarityIndex(ISSUES)
    assert len(index.query("高齢者の家族が通院や買い物、ゴミ出しに困る認知症", k=2)) == 2


def test_compound_words_match_through_their_parts():
    index = SimilarityIndex([("hoken", "介護保険の仕組み"), ("other", "災害時の避難")])
    assert index.query("介護保険料の滞納")[0][0] == "hoken"


# --- candidate groups -----------------------------------------------------------------------------

GARBAGE = [
    "ゴミ出しができず、集積所までごみを運べない。",
    "集積所が遠く、ゴミ出しが難しい高齢者。",
    "分別が分からずゴミ出しができない。集積所に置けない。",
    "ゴミ出しの日に集積所まで行けない。",
]
MISSING = [
    "認知症の父が道に迷い、行方不明になった。",
    "認知症で外出して道に迷うことが増えた。",
    "行方不明になった認知症の人を地域で捜す訓練。",
]
OTHER = ["介護保険料の滞納がある。", "台風の時に避難できなかった。"]


def test_candidate_groups_find_the_two_topics():
    items = [(f"g{i}", t) for i, t in enumerate(GARBAGE)]
    items += [(f"m{i}", t) for i, t in enumerate(MISSING)]
    items += [(f"o{i}", t) for i, t in enumerate(OTHER)]
    groups = candidate_groups(items, min_size=3)
    assert len(groups) == 2
    assert {frozenset(g.keys) for g in groups} == {
        frozenset(f"g{i}" for i in range(4)),
        frozenset(f"m{i}" for i in range(3)),
    }
    # The larger group comes first; its words name it.
    assert groups[0].keys[0].startswith("g") and "ゴミ出し" in groups[0].words
    assert "認知症" in groups[1].words
    assert groups == candidate_groups(items, min_size=3)


def test_candidate_groups_respect_min_size():
    items = [(i, t) for i, t in enumerate(MISSING + OTHER)]
    assert len(candidate_groups(items, min_size=3)) == 1
    assert candidate_groups(items, min_size=4) == []
    assert candidate_groups([]) == []
