/* SPDX-License-Identifier: ISC */
/*
 * The process state machine on a fake clock and a fake world: spawns, kills
 * and timers are recorded instead of done.
 */
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/process.h"
#include "util/clock.h"

static struct {
	int	 spawns;
	int	 spawn_fail;
	pid_t	 nextpid;
	pid_t	 kill_target;
	int	 kill_sig;
	int	 kills;
	double	 timer;		/* < 0: none armed */
	int	 changes;
	int	 may_start;
} world;

static double	now;

static int
fake_spawn(struct process *p, char **cause)
{
	world.spawns++;
	if (world.spawn_fail) {
		*cause = strdup("can't find command 'nope'");
		return -1;
	}
	p->pid = world.nextpid++;
	return 0;
}

static int
fake_kill(struct process *p, pid_t target, int sig)
{
	(void)p;
	world.kills++;
	world.kill_target = target;
	world.kill_sig = sig;
	return 0;
}

static void
fake_timer(struct process *p, double secs)
{
	(void)p;
	world.timer = secs;
}

static void
fake_changed(struct process *p, enum process_state old)
{
	(void)p;
	(void)old;
	world.changes++;
}

static int
fake_may_autostart(struct process *p)
{
	(void)p;
	return world.may_start;
}

static const struct process_ops fake_ops = {
	.spawn = fake_spawn,
	.kill = fake_kill,
	.timer = fake_timer,
	.changed = fake_changed,
	.may_autostart = fake_may_autostart,
};

static struct process_config	pc;
static struct group_config	gc;
static struct process_config	*pcs[1] = { &pc };
static int			 codes[1] = { 0 };

static void
advance(double secs)
{
	now += secs;
	clock_set_fake(now, 1700000000 + now);
}

/* Fires the armed timer after its delay. */
static void
fire(struct process *p)
{
	assert_true(world.timer >= 0);
	advance(world.timer);
	world.timer = -1;
	process_handle_timer(p);
}

static int
setup(void **state)
{
	memset(&world, 0, sizeof world);
	world.nextpid = 100;
	world.timer = -1;
	world.may_start = 1;
	memset(&pc, 0, sizeof pc);
	pc.name = (char *)"web";
	pc.command = (char *)"/bin/true";
	pc.autostart = 1;
	pc.autorestart = AUTORESTART_UNEXPECTED;
	pc.startsecs = 1;
	pc.startretries = 3;
	pc.exitcodes = codes;
	pc.nexitcodes = 1;
	pc.stopsignal = SIGTERM;
	pc.stopwaitsecs = 10;
	pc.umask = -1;
	memset(&gc, 0, sizeof gc);
	gc.refs = 1000;
	gc.name = (char *)"web";
	gc.procs = pcs;
	gc.nprocs = 1;
	now = 1000;
	advance(0);
	*state = process_create(NULL, &gc, &pc, &fake_ops);
	return 0;
}

static int
teardown(void **state)
{
	process_free(*state);
	clock_set_fake(-1, 0);
	return 0;
}

static int
exited(int code)
{
	return code << 8;
}

static void
test_start_success(void **state)
{
	struct process	*p = *state;

	process_autostart(p);
	assert_int_equal(p->state, PROCESS_STARTING);
	assert_int_equal(p->pid, 100);
	assert_true(world.timer == 1);
	fire(p);
	assert_int_equal(p->state, PROCESS_RUNNING);
	assert_int_equal(p->backoff, 0);
}

static void
test_autostart_only_once(void **state)
{
	struct process	*p = *state;

	process_autostart(p);
	fire(p);
	process_handle_exit(p, exited(0));
	assert_int_equal(p->state, PROCESS_EXITED);
	process_autostart(p);
	assert_int_equal(world.spawns, 1);
}

static void
test_quick_exit_backoff_then_fatal(void **state)
{
	struct process	*p = *state;
	int		 i;

	process_autostart(p);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(p->state, PROCESS_STARTING);
		advance(0.1);
		process_handle_exit(p, exited(0));
		assert_int_equal(p->state, PROCESS_BACKOFF);
		assert_int_equal(p->backoff, i);
		assert_string_equal(p->spawnerr,
		    "Exited too quickly (process log may have details)");
		if (i <= 3)
			assert_true(world.timer == i);
		fire(p);
	}
	assert_int_equal(p->state, PROCESS_FATAL);
	assert_int_equal(world.spawns, 4);
}

static void
test_unexpected_exit_restarts(void **state)
{
	struct process	*p = *state;

	process_autostart(p);
	fire(p);
	advance(5);
	process_handle_exit(p, exited(3));
	assert_false(p->expected);
	assert_int_equal(p->state, PROCESS_STARTING);
	assert_int_equal(world.spawns, 2);
}

static void
test_expected_exit_stays(void **state)
{
	struct process	*p = *state;

	process_autostart(p);
	fire(p);
	advance(5);
	process_handle_exit(p, exited(0));
	assert_int_equal(p->state, PROCESS_EXITED);
	assert_true(p->expected);
	assert_int_equal(world.spawns, 1);
}

static void
test_autorestart_true_and_false(void **state)
{
	struct process	*p = *state;

	pc.autorestart = AUTORESTART_ALWAYS;
	process_autostart(p);
	fire(p);
	process_handle_exit(p, exited(0));
	assert_int_equal(p->state, PROCESS_STARTING);
	pc.autorestart = AUTORESTART_NEVER;
	fire(p);
	process_handle_exit(p, exited(1));
	assert_int_equal(p->state, PROCESS_EXITED);
	assert_false(p->expected);
	assert_int_equal(world.spawns, 2);
}

static void
test_no_restart_while_shutting_down(void **state)
{
	struct process	*p = *state;

	process_autostart(p);
	fire(p);
	world.may_start = 0;
	process_handle_exit(p, exited(1));
	assert_int_equal(p->state, PROCESS_EXITED);
}

static void
test_stop_then_sigkill(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	process_autostart(p);
	fire(p);
	assert_int_equal(process_stop(p, &cause), 0);
	assert_int_equal(p->state, PROCESS_STOPPING);
	assert_int_equal(world.kill_target, 100);
	assert_int_equal(world.kill_sig, SIGTERM);
	assert_true(world.timer == 10);
	fire(p);
	assert_int_equal(world.kill_sig, SIGKILL);
	assert_int_equal(p->state, PROCESS_STOPPING);
	process_handle_exit(p, SIGKILL);
	assert_int_equal(p->state, PROCESS_STOPPED);
	assert_int_equal(p->pid, 0);
	assert_int_equal(p->exitstatus, -1);
}

static void
test_stopasgroup_signals_group(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	pc.stopasgroup = pc.killasgroup = 1;
	pc.stopsignal = SIGINT;
	process_autostart(p);
	assert_int_equal(process_stop(p, &cause), 0);
	assert_int_equal(world.kill_target, -100);
	assert_int_equal(world.kill_sig, SIGINT);
	fire(p);
	assert_int_equal(world.kill_target, -100);
	assert_int_equal(world.kill_sig, SIGKILL);
}

static void
test_stop_in_backoff(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	process_autostart(p);
	process_handle_exit(p, exited(1));
	assert_int_equal(p->state, PROCESS_BACKOFF);
	assert_int_equal(process_stop(p, &cause), 0);
	assert_int_equal(p->state, PROCESS_STOPPED);
	assert_int_equal(p->backoff, 0);
	assert_int_equal(world.kills, 0);
}

static void
test_stop_not_running(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	assert_int_equal(process_stop(p, &cause), -1);
	assert_non_null(strstr(cause, "wasn't running"));
	free(cause);
}

static void
test_spawn_error_to_fatal(void **state)
{
	struct process	*p = *state;
	int		 i;

	world.spawn_fail = 1;
	process_autostart(p);
	for (i = 0; i < 4; i++) {
		assert_int_equal(p->state, PROCESS_BACKOFF);
		assert_string_equal(p->spawnerr, "can't find command 'nope'");
		fire(p);
	}
	assert_int_equal(p->state, PROCESS_FATAL);
	assert_int_equal(world.spawns, 4);
}

static void
test_startsecs_zero_never_backoff(void **state)
{
	struct process	*p = *state;

	pc.startsecs = 0;
	process_autostart(p);
	process_handle_exit(p, exited(1));
	/* RUNNING then EXITED, then restarted at once. */
	assert_int_equal(p->state, PROCESS_STARTING);
	assert_int_equal(p->backoff, 0);
	assert_int_equal(world.spawns, 2);
}

static void
test_exec_error_is_failed_start(void **state)
{
	struct process	*p = *state;

	pc.startsecs = 0;
	process_autostart(p);
	process_handle_exec_error(p, "couldn't exec /x: ENOENT");
	process_handle_timer(p);
	assert_int_equal(p->state, PROCESS_STARTING);
	process_handle_exit(p, exited(127));
	assert_int_equal(p->state, PROCESS_BACKOFF);
	assert_string_equal(p->spawnerr, "couldn't exec /x: ENOENT");
}

static void
test_start_refused_when_running(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	process_autostart(p);
	assert_int_equal(process_start(p, &cause), -1);
	assert_string_equal(cause, "ALREADY_STARTED");
	free(cause);
}

static void
test_manual_start_from_fatal(void **state)
{
	struct process	*p = *state;
	char		*cause = NULL;

	pc.startretries = 0;
	process_autostart(p);
	process_handle_exit(p, exited(1));
	fire(p);
	assert_int_equal(p->state, PROCESS_FATAL);
	assert_int_equal(process_start(p, &cause), 0);
	assert_int_equal(p->state, PROCESS_STARTING);
}

static void
test_exit_text(void **state)
{
	char	*t;

	(void)state;
	t = process_exit_text(exited(2));
	assert_string_equal(t, "exit status 2");
	free(t);
	t = process_exit_text(SIGTERM);
	assert_string_equal(t, "terminated by SIGTERM");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_start_success),
		T(test_autostart_only_once),
		T(test_quick_exit_backoff_then_fatal),
		T(test_unexpected_exit_restarts),
		T(test_expected_exit_stays),
		T(test_autorestart_true_and_false),
		T(test_no_restart_while_shutting_down),
		T(test_stop_then_sigkill),
		T(test_stopasgroup_signals_group),
		T(test_stop_in_backoff),
		T(test_stop_not_running),
		T(test_spawn_error_to_fatal),
		T(test_startsecs_zero_never_backoff),
		T(test_exec_error_is_failed_start),
		T(test_start_refused_when_running),
		T(test_manual_start_from_fatal),
		T(test_exit_text),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
