# skill: O015
# function: all_results
def all_results(client, pages):
    results = []
    for page in range(pages):
        batch = client.fetch(page)
        results = results + batch
    return results
