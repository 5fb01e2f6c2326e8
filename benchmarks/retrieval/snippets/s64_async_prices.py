# skill: O043
# function: PriceFeed.quotes
class PriceFeed:
    async def quotes(self, symbols):
        return [await self.client.quote(symbol) for symbol in symbols]
