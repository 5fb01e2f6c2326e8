# skill: O033
# function: World.step
class World:
    def step(self, bodies, dt):
        for body in bodies:
            body.vy -= self.settings.physics.gravity * dt
            body.x += body.vx * dt * self.settings.physics.scale
            body.y += body.vy * dt * self.settings.physics.scale
