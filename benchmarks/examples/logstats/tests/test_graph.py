from logstats import click_depths, landing_pages, referrer_graph

SITE = "shop.example.com"
HOME = "https://shop.example.com"


def test_referrer_graph_follows_on_site_links_only(make_record):
    records = [
        make_record(path="/c/1", referrer=HOME + "/"),
        make_record(path="/p/5?ref=c1", referrer=HOME + "/c/1?page=2"),
        make_record(path="/p/6", referrer="http://shop.example.com/c/1"),
        make_record(path="/p/5", referrer=HOME + "/c/1"),  # repeat link
        make_record(path="/c/2", referrer=HOME),  # bare host means the home page
        make_record(path="/c/3", referrer="https://shop.example.com.evil.test/"),
        make_record(path="/c/4", referrer="https://www.google.com/"),
        make_record(path="/c/5", referrer="-"),
        make_record(path="/gone", referrer=HOME + "/c/1", status=404),
    ]
    assert referrer_graph(records, SITE) == {
        "/": ["/c/1", "/c/2"],
        "/c/1": ["/p/5", "/p/6"],
    }
    assert referrer_graph([], SITE) == {}


def test_landing_pages_counts_entries_from_outside(make_record):
    records = [
        make_record(path="/", referrer="-"),
        make_record(path="/?utm=x", referrer="https://www.google.com/"),
        make_record(path="/c/1", referrer="-"),
        make_record(path="/c/2", referrer=HOME + "/"),  # internal click, not an entry
        make_record(path="/wp-login.php", referrer="-", status=404),
    ]
    assert landing_pages(records, SITE) == [("/", 2), ("/c/1", 1)]
    assert landing_pages(records, SITE, n=1) == [("/", 2)]


def test_click_depths_breadth_first():
    graph = {
        "/": ["/c/1", "/c/2"],
        "/c/1": ["/p/1", "/"],
        "/c/2": ["/p/1", "/p/2"],
        "/p/1": ["/p/1/reviews"],
        "/orphan": ["/p/9"],
    }
    assert click_depths(graph, "/") == {
        "/": 0, "/c/1": 1, "/c/2": 1, "/p/1": 2, "/p/2": 2, "/p/1/reviews": 3,
    }
    assert click_depths(graph, "/p/2") == {"/p/2": 0}
    assert click_depths({}, "/nowhere") == {"/nowhere": 0}


def test_click_depths_on_a_wide_site():
    products = [f"/p/{i}" for i in range(3000)]
    graph = {"/": ["/c/0", "/c/1"], "/c/0": products[:1500], "/c/1": products[1000:]}
    graph.update({p: [p + "/reviews"] for p in products})
    depths = click_depths(graph, "/")
    assert len(depths) == 1 + 2 + 3000 + 3000
    assert depths["/p/2999/reviews"] == 3
    assert max(depths.values()) == 3
