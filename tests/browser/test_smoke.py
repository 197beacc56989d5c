def test_home_page_renders_in_chromium(page, town_url):
    page.goto(town_url("/"))
    assert page.locator("h1").inner_text().startswith("Participez à la vie de")
