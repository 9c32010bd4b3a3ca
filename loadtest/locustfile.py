"""Locust's picture of a learner on Cache Lab (`make load` runs it; see loadtest/run.py).

Each simulated learner reads lessons (marking 30% read), takes quizzes (start, a hint now and
then, answer every question, see the results) and runs code in the sandbox, thinking 1 to 5 s
between actions, as loadtest/journeys.py does it over plain HTTP.
"""

import random
import time

from locust import HttpUser, between, task

from loadtest.journeys import Learner

SANDBOX_SNIPPETS = [
    "cache.set('greeting', 'hello', timeout=300)\ncache.get('greeting')",
    "cache.add('visits', 0)\ncache.incr('visits')",
    "cache.set_many({'a': 1, 'b': 2})\ncache.get_many(['a', 'b'])",
    "cache.get('missing', 'default')",
]


def think() -> None:
    time.sleep(random.uniform(1, 5))  # gevent makes this cooperative under Locust


class LearnerUser(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.learner = Learner(self.client, named=True)
        self.lessons = self.learner.lesson_slugs()
        self.quizzes = self.learner.quiz_slugs()

    @task(5)
    def read_a_lesson(self) -> None:
        slug = random.choice(self.lessons)
        self.learner.read_lesson(slug)
        if random.random() < 0.3:
            think()
            self.learner.mark_read(slug)

    @task(2)
    def take_a_quiz(self) -> None:
        self.learner.take_quiz(random.choice(self.quizzes), hint_chance=0.3, think=think)

    @task(3)
    def run_sandbox_code(self) -> None:
        self.learner.run_sandbox(random.choice(SANDBOX_SNIPPETS))
