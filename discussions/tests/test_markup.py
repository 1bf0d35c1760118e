"""People's text becomes safe HTML: tags, attributes and link schemes outside the allow-list go."""

from discussions.markup import clean_text, mentioned_logins, render


def html(text: str) -> str:
    return render(clean_text(text))


def test_script_tags_are_escaped_and_never_run():
    out = html("Hello <script>alert(1)</script> world")
    assert "<script" not in out
    assert "Hello" in out


def test_javascript_links_lose_their_href():
    out = html("[click](javascript:alert(1)) and <a href='javascript:alert(2)'>x</a>")
    assert 'href="javascript' not in out


def test_event_handler_attributes_are_removed():
    out = html('<p onclick="steal()">hi</p> <img src=x onerror=alert(1)>')
    assert "<p onclick" not in out
    assert "<img" not in out


def test_markdown_renders_the_allowed_tags_and_links_get_rel():
    out = html("# Title\n\n**bold** *it* `code`\n\n- one\n- two\n\n> quote\n\nhttps://example.org")
    for tag in ("<h3>", "<strong>", "<em>", "<code>", "<ul>", "<li>", "<blockquote>"):
        assert tag in out
    assert 'rel="nofollow ugc noopener"' in out


def test_control_and_invisible_characters_pasted_from_word_are_stripped():
    text = clean_text("Пла\u200bн\x07 работы\x0b\u00ad\r\nна год\x00")
    assert text == "План работы\nна год"


def test_a_video_link_on_its_own_line_becomes_a_card_without_an_iframe():
    out = html("Watch:\n\nhttps://www.youtube.com/watch?v=abc\n\nhttps://rutube.ru/video/123/")
    assert out.count('class="video-card"') == 2
    assert "<iframe" not in out
    assert "YouTube" in out and "Rutube" in out


def test_a_video_link_inside_a_sentence_stays_a_plain_link():
    out = html("see https://www.youtube.com/watch?v=abc please")
    assert "video-card" not in out


def test_mentions_are_read_but_not_from_email_addresses():
    assert mentioned_logins("Hi @teacher. write to a@b.org, @leader") == {"teacher", "leader"}
