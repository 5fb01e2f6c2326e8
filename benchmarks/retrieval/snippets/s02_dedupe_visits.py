# skill: O001
# function: unique_visitors
def unique_visitors(log_lines):
    visitors = []
    for line in log_lines:
        ip = line.split()[0]
        if ip not in visitors:
            visitors.append(ip)
    return visitors
