# skill: O043
# function: load_profiles
async def load_profiles(api, user_ids):
    profiles = {}
    for uid in user_ids:
        profiles[uid] = await api.get_profile(uid)
    return profiles
