# The canopy-server image: every role of the same jar (all, gateway, processor).
# Build: docker build -t canopy:local .   (docker compose builds it too)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl server -am package

FROM eclipse-temurin:17-jre
WORKDIR /opt/canopy
COPY --from=build /src/server/target/canopy-server.jar /opt/canopy/canopy-server.jar
# REST, WebSocket, /health and /metrics (processors serve /health and /metrics only)
EXPOSE 9000
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/canopy/canopy-server.jar"]
