# skill: O041
# function: dead_links
import urllib.request


def dead_links(urls):
    dead = []
    for url in urls:
        try:
            urllib.request.urlopen(url, timeout=3)
        except OSError:
            dead.append(url)
    return dead
