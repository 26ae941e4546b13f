-- wrk script: GET with the bearer token in TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
