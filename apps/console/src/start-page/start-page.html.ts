/**
 * The console's start page until the single-page application of issue 17 replaces it: who is
 * signed in, sign-out, and a first look at the data (a member's or analyst's latest alerts, KL's
 * statistics) fetched through the API proxy by start-page.script.ts. Danish; no inline script, so
 * the Content-Security-Policy can forbid any.
 */
export const startPageHtml = `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SOC-konsol</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; border-bottom: 1px solid #ccc; padding-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; }
button, a.button { font: inherit; padding: 0.4rem 1rem; border: 1px solid #1b4f8a; background: #1b4f8a; color: #fff; border-radius: 4px; text-decoration: none; cursor: pointer; }
[hidden] { display: none !important; }
.error { color: #a30000; }
</style>
</head>
<body>
<header>
  <h1>SOC-konsol</h1>
  <div id="signed-in" hidden>
    <span id="who"></span>
    <form method="post" action="/auth/logout" style="display:inline"><button type="submit" id="logout">Log ud</button></form>
  </div>
  <a id="login" class="button" href="/auth/login" hidden>Log ind</a>
</header>
<main>
  <p id="status" role="status">Indlæser …</p>
  <section id="alerts" hidden>
    <h2>Seneste alarmer</h2>
    <table><thead><tr><th>Kommune</th><th>Regel</th><th>Alvor</th><th>Status</th><th>Senest set</th></tr></thead><tbody id="alert-rows"></tbody></table>
  </section>
  <section id="statistics" hidden>
    <h2>Angrebsforsøg de seneste 7 dage</h2>
    <table><thead><tr><th>Dag</th><th>Kommuner</th><th>Forsøg</th><th>Median pr. kommune</th><th>Andel over tærsklen</th></tr></thead><tbody id="statistics-rows"></tbody></table>
  </section>
</main>
<script src="/start-page.js"></script>
</body>
</html>
`;
