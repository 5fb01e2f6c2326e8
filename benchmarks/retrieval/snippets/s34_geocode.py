# skill: O030
# function: tag_regions
def region_for(zip_code):
    digits = [int(c) for c in zip_code if c.isdigit()]
    score = 0
    for i, d in enumerate(digits):
        score = (score * 31 + d * (i + 7)) % 9973
    return "R" + str(score % 50)


def tag_regions(addresses):
    tags = []
    for address in addresses:
        tags.append(region_for(address.zip))
    return tags
